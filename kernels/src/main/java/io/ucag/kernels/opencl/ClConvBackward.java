package io.ucag.kernels.opencl;

import io.ucag.runtime.GradShapes;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.Conv2dParams;

/**
 * Gradients of conv2d ({@code conv_backward.cl}) and the general matrix product ({@code matmul.cl}) on OpenCL:
 * register-tiled gather kernels, one work item per small tile of outputs, no atomics and no local memory (see
 * the file headers).
 */
final class ClConvBackward {
    private static final String CONV_FILE = "conv_backward.cl";
    private static final String MATMUL_FILE = "matmul.cl";
    /** Up to this many input channels the input gradient runs lanes over pixels instead of channels. */
    private static final int FEW_CHANNELS = 4;
    /** Vectors of pixels per work item of that input gradient (conv_backward.cl's PIXEL_VECTORS). */
    static final int FEW_CHANNEL_PIXEL_VECTORS = 4;
    /**
     * The same for the stride-2 variant, whose work items hold both column residues (twice the accumulators):
     * ResNet-50's stem at 322 px, batch 3, 16 lanes: 1, 2, 3, 4 vectors 17.2, 14.0, 12.1, 25 ms (4 spills); the
     * one-residue kernel takes 15.7.
     */
    static final int PAIRED_PIXEL_VECTORS = 3;
    /**
     * Fixed work-group sizes: PoCL compiles a kernel anew for every work-group size it runs with, and left to
     * choose it picks one per global size, i.e. per layer shape. Each compute work item has thousands of
     * multiply-adds, so groups of one cost nothing; the staging copies run 64 elements of a row per group.
     */
    private static final long[] ONE_BY_ONE = {1, 1};
    private static final long[] ONE_BY_ONE_BY_ONE = {1, 1, 1};
    private static final int COPY_GROUP = 64;
    private static final long[] COPY_LOCAL = {COPY_GROUP, 1, 1};

    private ClConvBackward() {
    }

    /**
     * A stride-1, undilated convolution's input gradient is itself a forward convolution: of gradOut with the
     * weights transposed (O,C -> C,O) and flipped in space, padded by k-1-p; an unpadded 1x1 convolution's at any
     * stride is that 1x1 convolution spread onto the strided input grid, zeros between ({@link #strideScatter}).
     * Both run on conv.cl's register-blocked kernel, many times faster than the gather kernels (5 GFLOP/s on
     * resnet50's layers here), which serve the other cases.
     */
    static Tensor conv2dBackwardInput(ClDevice d, Tensor gradOut, Tensor weight, Shape inputShape,
                                      Conv2dParams p) {
        return conv2dBackwardInputTimes(d, null, gradOut, weight, inputShape, p, null);
    }

    /**
     * factor * conv2dBackwardInput(gradOut, weight, factor's shape) (+ addend unless it is null): where the input
     * gradient is a forward convolution (stride 1) the product and the sum run in its store, for a strided 1x1 one
     * in its scatter, elsewhere as further ops.
     */
    static Tensor conv2dBackwardInputTimes(ClDevice d, Tensor factor, Tensor gradOut, Tensor weight,
                                           Conv2dParams p, Tensor addend) {
        return conv2dBackwardInputTimes(d, factor, gradOut, weight, factor.shape(), p, addend);
    }

    /** The input gradient, times {@code factor} (of {@code inputShape}) and plus {@code addend}, each unless null. */
    private static Tensor conv2dBackwardInputTimes(ClDevice d, Tensor factor, Tensor gradOut, Tensor weight,
                                                   Shape inputShape, Conv2dParams p, Tensor addend) {
        Shape ws = weight.shape();
        boolean undilated = p.dilationH() == 1 && p.dilationW() == 1;
        boolean strideOne = p.strideH() == 1 && p.strideW() == 1 && p.padH() <= ws.dim(2) - 1
                && p.padW() <= ws.dim(3) - 1;
        boolean pointwise = ws.dim(2) == 1 && ws.dim(3) == 1 && p.padH() == 0 && p.padW() == 0;
        if (!undilated || !(strideOne || pointwise)) {
            return plus(d, times(d, factor, conv2dBackwardInput(d, gradOut, weight, inputShape, p,
                    ConvBackwardKernelParams.forDevice(d.info()))), addend);
        }
        GradShapes.conv2dBackwardInput(gradOut, weight, inputShape, p);
        Conv2dParams full = new Conv2dParams(1, 1, ws.dim(2) - 1 - p.padH(), ws.dim(3) - 1 - p.padW(), 1, 1);
        boolean dense = p.strideH() == 1 && p.strideW() == 1;
        ClConv.Epilogue e = new ClConv.Epilogue(null, dense ? factor : null, ClConv.Epilogue.Combine.MULTIPLY,
                false, dense ? addend : null);
        try (Tensor flipped = weight.derived("flipped transpose", () -> ClConv.flipTranspose(d, weight))) {
            Tensor gathered = ClConv.conv2d(d, gradOut, flipped, full, e, ConvKernelParams.forDevice(d.info()));
            if (dense) {
                return gathered;
            }
            try (gathered) {
                return strideScatter(d, gathered, factor, addend, inputShape, p);
            }
        }
    }

    /** t + addend (t taken over), or t itself for a null addend. */
    private static Tensor plus(ClDevice d, Tensor t, Tensor addend) {
        if (addend == null) {
            return t;
        }
        try (t) {
            return d.add(t, addend);
        }
    }

    /** factor * t (t taken over), or t itself for a null factor. */
    private static Tensor times(ClDevice d, Tensor factor, Tensor t) {
        if (factor == null) {
            return t;
        }
        try (t) {
            return d.mul(factor, t);
        }
    }

    /**
     * dx (inputShape) with dx[.., y*sh, x*sw] = dense[.., y, x] and zeros between, times {@code factor} unless it is
     * null: output pixel (y, x) of a strided 1x1 convolution came from input pixel (y*sh, x*sw). (The backward of a
     * 1x1 average pool does the same, at about twice the time: it sums over windows.) The product (and the sum with
     * {@code addend}) in the same pass spares a multiply's pass and its compact copies; dx keeps a padded factor's
     * planes for the ops after it.
     */
    private static Tensor strideScatter(ClDevice d, Tensor dense, Tensor factor, Tensor addend, Shape inputShape,
                                        Conv2dParams p) {
        Shape ds = dense.shape();
        try (Tensor g = d.planar(dense); Tensor f = factor == null ? null : d.planar(factor);
             Tensor a = addend == null ? null : d.planar(addend)) {
            Tensor dx = f != null && ((ClBuffer) f.buffer()).padded()
                    ? d.allocatePadded(inputShape, ClDevice.planeStride(f)) : d.allocate(inputShape);
            d.kernel(CONV_FILE, "stride_scatter", ConvBackwardKernelParams.forDevice(d.info()).convOptions())
                    .launch(ClPooling.rows(inputShape), null, g, f != null ? f : g, a != null ? a : g, dx,
                            inputShape.dim(0) * inputShape.dim(1), inputShape.dim(2), inputShape.dim(3), ds.dim(2),
                            ds.dim(3), p.strideH(), p.strideW(), (f != null ? 1 : 0) | (a != null ? 2 : 0),
                            ClDevice.planeStride(g), f != null ? ClDevice.planeStride(f) : 0,
                            a != null ? ClDevice.planeStride(a) : 0, ClDevice.planeStride(dx));
            return dx;
        }
    }

    static Tensor conv2dBackwardWeight(ClDevice d, Tensor gradOut, Tensor input, int kernelH, int kernelW,
                                       Conv2dParams p) {
        return conv2dBackwardWeight(d, gradOut, input, kernelH, kernelW, p,
                ConvBackwardKernelParams.forDevice(d.info()));
    }

    static Tensor matmul(ClDevice d, Tensor a, Tensor b, boolean transposeA, boolean transposeB) {
        return matmul(d, a, b, transposeA, transposeB, ConvBackwardKernelParams.forDevice(d.info()));
    }

    // ---- the same with explicit tile sizes (for tests and tuning) ---------------------------------------------

    static Tensor conv2dBackwardInput(ClDevice d, Tensor gradOut, Tensor weight, Shape inputShape,
                                      Conv2dParams p, ConvBackwardKernelParams kp) {
        Shape xs = GradShapes.conv2dBackwardInput(gradOut, weight, inputShape, p);
        Shape ws = weight.shape();
        Shape gs = gradOut.shape();
        int n = xs.dim(0);
        int c = xs.dim(1);
        int h = xs.dim(2);
        int w = xs.dim(3);
        int outW = gs.dim(3);
        int taps = ws.dim(2) * ws.dim(3);
        boolean fewChannels = c <= FEW_CHANNELS;
        Tensor dx = d.allocate(xs);
        if (fewChannels && p.strideW() == 2 && p.dilationW() == 1) { // both column residues per work item
            String defines = kp.convOptions() + " -DFEW_CHANNELS=" + c + " -DPIXEL_VECTORS="
                    + PAIRED_PIXEL_VECTORS;
            // gy as it is, padded planes too: a relevance pass's gy is a convolution's padded output, and a compact
            // copy per call (the signed stem's two transposed maps read one gy) cost about 4 of 16 ms
            try (Tensor gy = d.planar(gradOut)) {
                d.kernel(CONV_FILE, "conv2d_backward_input_few_channels_s2", defines).launch(
                        new long[] {ceilDiv(w, 2 * kp.vectorWidth() * PAIRED_PIXEL_VECTORS), h, n},
                        ONE_BY_ONE_BY_ONE, gy, weight, dx, h, w, ws.dim(0), gs.dim(2), outW, ws.dim(2), ws.dim(3),
                        p.strideH(), p.padH(), p.padW(), p.dilationH(), ClDevice.planeStride(gy));
            }
            return dx;
        }
        // lanes run over input channels, or for the few channels of an RGB input over pixels
        int pixels = fewChannels ? kp.vectorWidth() * FEW_CHANNEL_PIXEL_VECTORS : kp.inputTileX();
        // pixels x of one row that share x % strideW form a residue class of ceil(w / strideW) pixels at most
        int tilesPerResidue = ceilDiv(ceilDiv(w, p.strideW()), pixels);
        long xTiles = (long) p.strideW() * tilesPerResidue;
        if (fewChannels) { // reads gy as it is: staging it cost as much as the kernel (10 of 22 ms on the stem)
            String defines = kp.convOptions() + " -DFEW_CHANNELS=" + c + " -DPIXEL_VECTORS="
                    + FEW_CHANNEL_PIXEL_VECTORS;
            try (Tensor gy = d.planar(gradOut)) {
                d.kernel(CONV_FILE, "conv2d_backward_input_few_channels", defines).launch(
                        new long[] {xTiles, h, n}, ONE_BY_ONE_BY_ONE,
                        gy, weight, dx, h, w, ws.dim(0), gs.dim(2), outW, ws.dim(2), ws.dim(3), p.strideH(),
                        p.strideW(), p.padH(), p.padW(), p.dilationH(), p.dilationW(), tilesPerResidue,
                        ClDevice.planeStride(gy));
            }
            return dx;
        }
        // pixel loads start at ox0 = (x + PW - kx*DW) / SW for x in [0, w), so gy is staged with zero columns
        // on both sides for every ox0 + [0, pixels) to fall inside the row
        int padLeft = Math.max(0, -Math.floorDiv(p.padW() - (ws.dim(3) - 1) * p.dilationW(), p.strideW()));
        int padRight = Math.max(0, Math.floorDiv(w - 1 + p.padW(), p.strideW()) + pixels - outW);
        int rowWidth = padLeft + outW + padRight;
        // released right after queuing: OpenCL keeps the memory until the kernels that use it have run
        try (Tensor gyStaged = padRows(d, kp, gradOut, 0, 1, rowWidth, 0, padLeft)) {
            int channelTiles = ceilDiv(c, kp.vectorWidth());
            try (Tensor wStaged = packLanes(d, kp, weight, ws.dim(0), c, taps)) {
                d.kernel(CONV_FILE, "conv2d_backward_input", kp.convOptions()).launch(
                        new long[] {xTiles, h, (long) n * channelTiles}, ONE_BY_ONE_BY_ONE,
                        gyStaged, wStaged, dx, c, h, w, ws.dim(0), gs.dim(2), ws.dim(2), ws.dim(3), p.strideH(),
                        p.strideW(), p.padH(), p.padW(), p.dilationH(), p.dilationW(), padLeft, rowWidth,
                        tilesPerResidue, channelTiles);
            }
        }
        return dx;
    }

    static Tensor conv2dBackwardWeight(ClDevice d, Tensor gradOut, Tensor input, int kernelH, int kernelW,
                                       Conv2dParams p, ConvBackwardKernelParams kp) {
        Shape dwShape = GradShapes.conv2dBackwardWeight(gradOut, input, kernelH, kernelW, p);
        Shape xs = input.shape();
        Shape gs = gradOut.shape();
        int o = gs.dim(1);
        int outW = gs.dim(3);
        // x staged with PH zero rows on top (rows iy + PH = oy*SH + ky*DH < H + 2PH) and each row split into its
        // SW stride phases starting PW columns left of the image, so a tap reads consecutive values along ox:
        // phase (kx*DW) % SW, column ox + (kx*DW) / SW < outW + (KW-1)*DW / SW
        int stagedH = xs.dim(2) + 2 * p.padH();
        int stagedJ = outW + (kernelW - 1) * p.dilationW() / p.strideW();
        int filter = xs.dim(1) * kernelH * kernelW;
        Tensor dw = d.allocate(dwShape);
        try (Tensor gyStaged = packLanes(d, kp, gradOut, xs.dim(0), o, gs.dim(2) * outW);
             Tensor xStaged = padRows(d, kp, input, p.padH(), p.strideW(), stagedJ, stagedH, p.padW())) {
            d.kernel(CONV_FILE, "conv2d_backward_weight", kp.convOptions()).launch(
                    new long[] {ceilDiv(filter, kp.weightTileK()), ceilDiv(o, kp.vectorWidth())},
                    ONE_BY_ONE, gyStaged, xStaged, dw, xs.dim(0), xs.dim(1), o, gs.dim(2), outW, kernelH, kernelW,
                    p.strideH(), p.strideW(), p.dilationH(), p.dilationW(), stagedH, stagedJ);
        }
        return dw;
    }

    /**
     * A zero-padded copy of t (N,C,H,W) as (N*C, rows, phases, cols): {@code top} zero rows above (rows = 0 keeps
     * H), each row split into {@code phases} stride phases starting {@code left} columns left of the image.
     */
    private static Tensor padRows(ClDevice d, ConvBackwardKernelParams kp, Tensor t, int top, int phases, int cols,
                                  int rows, int left) {
        Shape s = t.shape();
        int planes = s.dim(0) * s.dim(1);
        int rowsOut = rows == 0 ? s.dim(2) : rows;
        Tensor out = d.allocate(Shape.of(planes, rowsOut, phases, cols));
        d.kernel(CONV_FILE, "pad_rows", kp.convOptions()).launch(
                new long[] {roundUp(cols, COPY_GROUP), rowsOut, (long) planes * phases}, COPY_LOCAL,
                t, out, planes, s.dim(2), s.dim(3), rowsOut, phases, cols, top, left);
        return out;
    }

    /** t viewed as (outer, split, inner), its middle axis moved last in tiles: (tiles, outer, inner, lanes). */
    private static Tensor packLanes(ClDevice d, ConvBackwardKernelParams kp, Tensor t, int outer, int split,
                                    int inner) {
        int lanes = kp.vectorWidth();
        int count = ceilDiv(split, lanes);
        Tensor out = d.allocate(Shape.of(count, outer, inner, lanes));
        d.kernel(CONV_FILE, "pack_lanes", kp.convOptions()).launch(
                new long[] {roundUp(inner, COPY_GROUP), outer, (long) count * lanes}, COPY_LOCAL,
                t, out, outer, split, inner, count);
        return out;
    }

    static Tensor matmul(ClDevice d, Tensor a, Tensor b, boolean transposeA, boolean transposeB,
                         ConvBackwardKernelParams kp) {
        Shape out = GradShapes.matmul(a, b, transposeA, transposeB);
        int m = out.dim(0);
        int n = out.dim(1);
        int k = transposeA ? a.shape().dim(0) : a.shape().dim(1);
        int tileM = kp.matmulTileM(m);
        Tensor c = d.allocate(out);
        d.kernel(MATMUL_FILE, "matmul", kp.matmulOptions(tileM)).launch(
                new long[] {ceilDiv(n, kp.vectorWidth()), ceilDiv(m, tileM)}, ONE_BY_ONE, a, b, c, m, n, k,
                transposeA ? 1 : 0, transposeB ? 1 : 0);
        return c;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private static long roundUp(int a, int multiple) {
        return (long) ceilDiv(a, multiple) * multiple;
    }
}
