package io.ucag.kernels.opencl;

import io.ucag.runtime.OpShapes;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.Conv2dParams;
import java.util.Arrays;

/**
 * Forward conv2d and linear on OpenCL ({@code conv.cl}, whose header explains the kernels): conv2d is, on GPUs,
 * {@link ClTiledConv}'s, and on CPUs a register-blocked implicit GEMM without local memory on an input staged with
 * zero padding and split into stride phases ({@link ConvStaging}; 1x1 stride-1 convs read x directly, a plain GEMM).
 * linear streams the weights for small batches and runs as a 1x1 conv2d on x^T for large ones. Tile sizes per
 * device come from {@link ConvKernelParams}.
 */
final class ClConv {
    private static final String FILE = "conv.cl";

    private ClConv() {
    }

    static Tensor conv2d(ClDevice d, Tensor x, Tensor weight, Tensor bias, Conv2dParams p) {
        return conv2d(d, x, weight, bias, p, ConvKernelParams.forDevice(d.info()));
    }

    static Tensor linear(ClDevice d, Tensor x, Tensor weight, Tensor bias) {
        return linear(d, x, weight, bias, ConvKernelParams.forDevice(d.info()));
    }

    // ---- the same with explicit parameters (for tests and tuning) ---------------------------------------------

    /** Pixel tiles per plane from which conv2d aligns its stores ({@link #alignedChannelStep}). */
    static final int ALIGNED_MIN_TILES = 16;

    static Tensor conv2d(ClDevice d, Tensor x, Tensor weight, Tensor bias, Conv2dParams p, ConvKernelParams kp) {
        return conv2d(d, x, weight, bias, p, null, false, kp);
    }

    /** relu?(conv2d(x, weight, bias) + residual): the element-wise tail runs in the convolution's store. */
    static Tensor conv2dFused(ClDevice d, Tensor x, Tensor weight, Tensor bias, Conv2dParams p, Tensor residual,
                              boolean relu) {
        OpShapes.conv2dFused(x, weight, bias, p, residual);
        return conv2d(d, x, weight, bias, p, residual, relu, ConvKernelParams.forDevice(d.info()));
    }

    static Tensor conv2d(ClDevice d, Tensor x, Tensor weight, Tensor bias, Conv2dParams p, Tensor residual,
                         boolean relu, ConvKernelParams kp) {
        return conv2d(d, x, weight, p, new Epilogue(bias, residual, relu), kp);
    }

    /**
     * {relu(conv2d(x, weight, bias) + residual), conv2d(x, weight, bias)}: where conv.cl runs the convolution, both
     * from its store (EPILOGUE_KEEP), which saves addRelu's pass over three tensors; elsewhere (Winograd, the GPU's
     * tiled kernel) the convolution and then addRelu. The same floats either way.
     */
    static Tensor[] conv2dAddRelu(ClDevice d, Tensor x, Tensor weight, Tensor bias, Conv2dParams p, Tensor residual,
                                  ConvKernelParams kp) {
        OpShapes.conv2dAddRelu(x, weight, bias, p, residual);
        if (ClTiledConv.appliesTo(d) || ClWinograd.applies(x.shape(), weight.shape(), p, kp)) {
            Tensor body = conv2d(d, x, weight, bias, p, kp);
            return new Tensor[] {d.addRelu(body, residual), body};
        }
        Tensor body = d.allocatePlanes(OpShapes.conv2d(x, weight, bias, p), kp.tilePx());
        Epilogue keeping = new Epilogue(bias, residual, Epilogue.Combine.ADD, true, null, body);
        return new Tensor[] {conv2d(d, x, weight, p, keeping, kp), body};
    }

    /** conv2d(x, weight, e.bias) with the epilogue {@code e} applied in the store. */
    static Tensor conv2d(ClDevice d, Tensor x, Tensor weight, Conv2dParams p, Epilogue e, ConvKernelParams kp) {
        if (e.kept() != null && (ClTiledConv.appliesTo(d) || ClWinograd.applies(x.shape(), weight.shape(), p, kp))) {
            throw new IllegalArgumentException("conv2d: only conv.cl's kernel keeps the output before its epilogue");
        }
        if (ClTiledConv.appliesTo(d)) {
            return ClTiledConv.conv2d(d, x, weight, p, e);
        }
        if (ClWinograd.applies(x.shape(), weight.shape(), p, kp)) {
            if (e.addend() == null) {
                return ClWinograd.conv2d(d, x, weight, p, e, kp);
            }
            try (Tensor y = ClWinograd.conv2d(d, x, weight, p, e.withoutAddend(), kp)) { // its transform adds none
                return d.add(y, e.addend());
            }
        }
        Shape ys = OpShapes.conv2d(x, weight, e.bias(), p);
        // x and the operands as plane-aware kernels read them (padded planes: ClDevice.allocatePlanes)
        try (Tensor input = d.planar(x); Tensor operand = e.operand() == null ? null : d.planar(e.operand());
             Tensor addend = e.addend() == null ? null : d.planar(e.addend())) {
            Epilogue planar = new Epilogue(e.bias(), operand, e.combine(), e.relu(), addend, e.kept());
            ConvStaging s = ConvStaging.of(input.shape(), weight.shape(), p, kp.tilePx(), ClDevice.planeStride(input));
            Tensor y = d.allocatePlanes(ys, kp.tilePx());
            if (s.direct()) {
                runConv(d, kp, input, weight, planar, y, s);
                return y;
            }
            // A strided 1x1 conv's staged input (x subsampled) is kept with x, since a downsampling block's shortcut
            // and its first convolution read the same one; zero-padded stagings (3x3, 7x7) are made per call, as
            // keeping them would double the activations the relevance passes hold. Released right after queuing:
            // OpenCL keeps the memory until the kernels using it have run.
            boolean subsampled = weight.shape().dim(2) == 1 && weight.shape().dim(3) == 1 && p.padH() == 0
                    && p.padW() == 0;
            try (Tensor staged = subsampled
                    ? input.derived("staged for 1x1 stride " + p.strideH() + "x" + p.strideW() + ", plane "
                            + s.plane(), () -> stage(d, input, p, s, kp))
                    : stage(d, input, p, s, kp)) {
                runConv(d, kp, staged, weight, planar, y, s);
            }
            return y;
        }
    }

    /** conv.cl's stage_input: x padded with zeros and split into stride phases, as {@code s} lays it out. */
    private static Tensor stage(ClDevice d, Tensor x, Conv2dParams p, ConvStaging s, ConvKernelParams kp) {
        Shape xs = x.shape();
        int planes = xs.dim(0) * xs.dim(1);
        Tensor staged = d.allocate(Shape.of(planes, s.phases(), s.plane()));
        d.kernel(FILE, "stage_input", kp.defines()).launch(kp.global(ceilDiv(s.plane(), s.cols()), s.phases(), planes),
                kp.local(3), x, staged, planes, xs.dim(2), xs.dim(3), p.strideH(), p.strideW(), p.padH(), p.padW(),
                s.phasesH(), s.phasesW(), s.cols(), s.plane(), ClDevice.planeStride(x));
        return staged;
    }

    /**
     * What conv.cl's conv2d (and winograd.cl's output transform) does to each output before storing it, its
     * EPILOGUE_* bits: + bias, then the output combined with {@code operand} (of the output's shape; null for
     * none), then ReLU, then + {@code addend}; {@code kept} (conv.cl only), where not null, receives the output
     * after its bias.
     */
    record Epilogue(Tensor bias, Tensor operand, Combine combine, boolean relu, Tensor addend, Tensor kept) {
        /** How the output v meets the operand r. */
        enum Combine {
            ADD(2),      // v + r: a residual block's shortcut
            DIVIDE(8),   // r / v: an LRP quotient R / z
            MULTIPLY(16); // r * v: an LRP product x * f^T(s)

            final int bit;

            Combine(int bit) {
                this.bit = bit;
            }
        }

        /** relu?(. + bias + residual); residual may be null. */
        Epilogue(Tensor bias, Tensor residual, boolean relu) {
            this(bias, residual, Combine.ADD, relu);
        }

        /** Without an addend. */
        Epilogue(Tensor bias, Tensor operand, Combine combine, boolean relu) {
            this(bias, operand, combine, relu, null);
        }

        /** Keeping nothing. */
        Epilogue(Tensor bias, Tensor operand, Combine combine, boolean relu, Tensor addend) {
            this(bias, operand, combine, relu, addend, null);
        }

        /** The same without the addend (for kernels that do not add one: it is added after them). */
        Epilogue withoutAddend() {
            return new Epilogue(bias, operand, combine, relu);
        }

        int bits() {
            return (bias != null ? 1 : 0) | (operand != null ? combine.bit : 0) | (relu ? 4 : 0)
                    | (addend != null ? 32 : 0) | (kept != null ? 64 : 0);
        }
    }

    /** Queues conv.cl's conv2d: y (N,O,OH,OW) from the staged input xs and weight (O,C,KH,KW). */
    private static void runConv(ClDevice d, ConvKernelParams kp, Tensor xs, Tensor weight, Epilogue e, Tensor y,
                                ConvStaging s) {
        runConv(d, kp, xs, weight, e, y, s, 0);
    }

    /**
     * The same with image n of xs reading its weights {@code weightStride} floats after image n - 1's (0: one
     * weight for all; winograd.cl's 36 GEMMs pass O*C and a weight of shape (36*O, C, 1, 1)).
     */
    static void runConv(ClDevice d, ConvKernelParams kp, Tensor xs, Tensor weight, Epilogue e, Tensor y,
                        ConvStaging s, int weightStride) {
        Shape ys = y.shape();
        int[] offsets = s.tapOffsets();
        int taps = offsets.length;
        // kept with the weight: uploaded once per layer and input geometry instead of on every call
        try (Tensor tapOffsets = weight.derived("tap offsets " + Arrays.toString(offsets),
                () -> d.fromArray(Shape.of(taps), intBits(offsets)))) {
            int outPlane = ClDevice.planeStride(y);
            // padded planes are whole vectors: every store is aligned already
            int step = outPlane != ys.dim(2) * ys.dim(3) ? 1 : alignedChannelStep(ys, s.cols(), kp);
            long[] global = kp.global(ceilDiv(ys.dim(1), kp.tileOc()),
                    ceilDiv(ys.dim(2) * s.cols(), kp.tilePx()) + (step > 1 ? 1 : 0), ys.dim(0));
            boolean pointwise = taps == 1 && offsets[0] == 0;
            d.kernel(FILE, "conv2d", kp.defines() + (pointwise ? " -DPOINTWISE=1" : "")).launch(global,
                    kp.local(global.length), xs, weight,
                    e.bias() != null ? e.bias() : weight, tapOffsets, e.operand() != null ? e.operand() : y, y,
                    weight.shape().dim(1), ys.dim(1), taps, s.channelStride(), s.cols(), ys.dim(2), ys.dim(3),
                    e.bits(), weightStride, step, outPlane,
                    e.operand() != null ? ClDevice.planeStride(e.operand()) : outPlane,
                    e.addend() != null ? e.addend() : y,
                    e.addend() != null ? ClDevice.planeStride(e.addend()) : outPlane,
                    e.kept() != null ? e.kept() : y, e.kept() != null ? ClDevice.planeStride(e.kept()) : outPlane);
        }
    }

    /**
     * conv2d's {@code channelStep}: where the flat pixel grid is the output plane ({@code cols == OW}) and planes are
     * not whole vectors, the period of their start's offset from a TILE_PX-float boundary (channels o and o + step
     * share it), so that a tile of channels o, o + step, ... can store aligned vectors; 1 (consecutive channels)
     * where planes are aligned already, the grid has dropped columns, O is no multiple of step * TILE_OC, or planes
     * are under {@link #ALIGNED_MIN_TILES} tiles (the shifted tiling's extra tile per plane would cost more than the
     * aligned stores save: at 11x11, 7.6 tiles of 16, 512 -> 2048 with residual 17.4 -> 18.2 ms; at 21x21, 27.6 tiles,
     * 256 -> 1024 15.5-15.7 -> 14.6 ms, batch 12).
     */
    static int alignedChannelStep(Shape ys, int cols, ConvKernelParams kp) {
        int plane = ys.dim(2) * ys.dim(3);
        int offset = plane % kp.tilePx();
        if (cols != ys.dim(3) || offset == 0 || plane < ALIGNED_MIN_TILES * kp.tilePx()) {
            return 1;
        }
        int step = kp.tilePx() / gcd(offset, kp.tilePx());
        return ys.dim(1) % (step * kp.tileOc()) == 0 ? step : 1;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    static Tensor linear(ClDevice d, Tensor x, Tensor weight, Tensor bias, ConvKernelParams kp) {
        Shape ys = OpShapes.linear(x, weight, bias);
        int n = ys.dim(0);
        int m = ys.dim(1);
        int k = x.shape().dim(1);
        Tensor y = d.allocate(ys);
        if (n < kp.linearGemmBatch()) {
            long[] global = kp.global(ceilDiv(n, kp.linearTileN()), ceilDiv(m, kp.linearTileM()));
            d.kernel(FILE, "linear", kp.defines()).launch(global, kp.local(global.length),
                    x, weight, bias != null ? bias : weight, y, n, m, k, bias != null ? 1 : 0);
            return y;
        }
        // y^T (M, 1, N) = conv2d of x^T as one image of K channels and one row of N pixels (a row of at least
        // TILE_PX, zero-padded, so that the conv reads it directly) with weight (M, K) as 1x1 filters
        int row = Math.max(n, kp.tilePx());
        ConvStaging asConv = new ConvStaging(true, n, 1, 1, row, new int[] {0});
        try (Tensor xt = d.allocate(Shape.of(k, row));
             Tensor yt = d.allocate(Shape.of(1, m, 1, n))) {
            transpose(d, kp, x, xt, n, k, row);
            runConv(d, kp, xt, weight, new Epilogue(bias, null, false), yt, asConv);
            transpose(d, kp, yt, y, m, n, m);
        }
        return y;
    }

    /** w (O,C,kh,kw) -> (C,O,kh,kw) with each kernel flipped in both spatial axes: the transposed convolution's. */
    static Tensor flipTranspose(ClDevice d, Tensor weight) {
        Shape ws = weight.shape();
        Tensor out = d.allocate(Shape.of(ws.dim(1), ws.dim(0), ws.dim(2), ws.dim(3)));
        ConvKernelParams kp = ConvKernelParams.forDevice(d.info());
        long[] global = kp.global(ws.dim(0));
        d.kernel(FILE, "flip_transpose", kp.defines()).launch(global, kp.local(1), weight, out, ws.dim(0), ws.dim(1),
                ws.dim(2) * ws.dim(3));
        return out;
    }

    /** out (cols, padded) = in (rows, cols)^T with zero columns rows .. padded-1. */
    private static void transpose(ClDevice d, ConvKernelParams kp, Tensor in, Tensor out, int rows, int cols,
                                  int padded) {
        long[] global = kp.global(cols);
        d.kernel(FILE, "transpose", kp.defines()).launch(global, kp.local(global.length), in, out, rows, cols, padded);
    }

    /** Ints carried bit for bit in a float tensor (the kernel reads the buffer as int). */
    private static float[] intBits(int[] values) {
        float[] bits = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.intBitsToFloat(values[i]);
        }
        return bits;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
