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

    /**
     * Build-time tile sizes of both files (names as their {@code #define}s); the launch geometry below depends on
     * them, so they are always passed explicitly.
     */
    record Tiles(int vectorWidth, int inputTileC, int weightTileO, int weightTileK, int matmulTileM) {
        static final Tiles DEFAULT = new Tiles(8, 8, 8, 4, 8);

        Tiles {
            if (vectorWidth != 4 && vectorWidth != 8 && vectorWidth != 16) {
                throw new IllegalArgumentException("VECTOR_WIDTH must be 4, 8 or 16, got " + vectorWidth);
            }
            if (inputTileC < 1 || weightTileO < 1 || weightTileK < 1 || matmulTileM < 1) {
                throw new IllegalArgumentException("tile sizes must be >= 1, got " + this);
            }
        }

        String convDefines() {
            return "-DVECTOR_WIDTH=" + vectorWidth + " -DINPUT_TILE_C=" + inputTileC + " -DWEIGHT_TILE_O="
                    + weightTileO + " -DWEIGHT_TILE_K=" + weightTileK;
        }

        String matmulDefines(boolean transposeA, boolean transposeB) {
            return "-DVECTOR_WIDTH=" + vectorWidth + " -DMATMUL_TILE_M=" + matmulTileM + " -DTRANSPOSE_A="
                    + (transposeA ? 1 : 0) + " -DTRANSPOSE_B=" + (transposeB ? 1 : 0);
        }
    }

    private ClConvBackward() {
    }

    static Tensor conv2dBackwardInput(ClDevice d, Tensor gradOut, Tensor weight, Shape inputShape,
                                      Conv2dParams p) {
        return conv2dBackwardInput(d, gradOut, weight, inputShape, p, Tiles.DEFAULT);
    }

    static Tensor conv2dBackwardWeight(ClDevice d, Tensor gradOut, Tensor input, int kernelH, int kernelW,
                                       Conv2dParams p) {
        return conv2dBackwardWeight(d, gradOut, input, kernelH, kernelW, p, Tiles.DEFAULT);
    }

    static Tensor matmul(ClDevice d, Tensor a, Tensor b, boolean transposeA, boolean transposeB) {
        return matmul(d, a, b, transposeA, transposeB, Tiles.DEFAULT);
    }

    // ---- the same with explicit tile sizes (for tests and tuning) ---------------------------------------------

    static Tensor conv2dBackwardInput(ClDevice d, Tensor gradOut, Tensor weight, Shape inputShape,
                                      Conv2dParams p, Tiles tiles) {
        Shape xs = GradShapes.conv2dBackwardInput(gradOut, weight, inputShape, p);
        Shape ws = weight.shape();
        Shape gs = gradOut.shape();
        int n = xs.dim(0);
        int c = xs.dim(1);
        int h = xs.dim(2);
        int w = xs.dim(3);
        int outW = gs.dim(3);
        int lanes = tiles.vectorWidth();
        // lane loads start at ox0 = (x + PW - kx*DW) / SW for x in [0, w), so gy is staged with zero columns
        // on both sides for every ox0 + [0, lanes) to fall inside the row
        int padLeft = Math.max(0, -Math.floorDiv(p.padW() - (ws.dim(3) - 1) * p.dilationW(), p.strideW()));
        int padRight = Math.max(0, Math.floorDiv(w - 1 + p.padW(), p.strideW()) + lanes - outW);
        int rowWidth = padLeft + outW + padRight;
        // pixels x of one row that share x % strideW form a residue class of ceil(w / strideW) pixels at most
        int tilesPerResidue = ceilDiv(ceilDiv(w, p.strideW()), lanes);
        int channelTiles = ceilDiv(c, tiles.inputTileC());
        Tensor dx = d.allocate(xs);
        // released right after queuing: OpenCL keeps the memory until the kernels that use it have run
        try (Tensor staged = padRows(d, tiles, gradOut, 0, 1, rowWidth, 0, padLeft)) {
            d.kernel(CONV_FILE, "conv2d_backward_input", tiles.convDefines()).launch(
                    new long[] {(long) p.strideW() * tilesPerResidue, h, (long) n * channelTiles}, null,
                    staged, weight, dx, c, h, w, ws.dim(0), gs.dim(2), ws.dim(2), ws.dim(3), p.strideH(),
                    p.strideW(), p.padH(), p.padW(), p.dilationH(), p.dilationW(), padLeft, rowWidth,
                    tilesPerResidue, channelTiles);
        }
        return dx;
    }

    static Tensor conv2dBackwardWeight(ClDevice d, Tensor gradOut, Tensor input, int kernelH, int kernelW,
                                       Conv2dParams p, Tiles tiles) {
        Shape dwShape = GradShapes.conv2dBackwardWeight(gradOut, input, kernelH, kernelW, p);
        Shape xs = input.shape();
        Shape gs = gradOut.shape();
        int lanes = tiles.vectorWidth();
        int outWRounded = ceilDiv(gs.dim(3), lanes) * lanes;
        // x staged with PH zero rows on top (rows iy + PH = oy*SH + ky*DH < H + 2PH) and each row split into its
        // SW stride phases starting PW columns left of the image, so lanes ox .. ox+lanes-1 of a tap are
        // consecutive: phase (kx*DW) % SW, column ox + (kx*DW) / SW < outWRounded + (KW-1)*DW / SW
        int stagedH = xs.dim(2) + 2 * p.padH();
        int stagedJ = outWRounded + (kernelW - 1) * p.dilationW() / p.strideW();
        int filter = xs.dim(1) * kernelH * kernelW;
        Tensor dw = d.allocate(dwShape);
        try (Tensor gyStaged = padRows(d, tiles, gradOut, 0, 1, outWRounded, 0, 0);
             Tensor xStaged = padRows(d, tiles, input, p.padH(), p.strideW(), stagedJ, stagedH, p.padW())) {
            d.kernel(CONV_FILE, "conv2d_backward_weight", tiles.convDefines()).launch(
                    new long[] {ceilDiv(filter, tiles.weightTileK()), ceilDiv(gs.dim(1), tiles.weightTileO())},
                    null, gyStaged, xStaged, dw, xs.dim(0), xs.dim(1), gs.dim(1), gs.dim(2), outWRounded, kernelH,
                    kernelW, p.strideH(), p.strideW(), p.dilationH(), p.dilationW(), stagedH, stagedJ);
        }
        return dw;
    }

    /**
     * A zero-padded copy of t (N,C,H,W) as (N*C, rows, phases, cols): {@code top} zero rows above (rows = 0 keeps
     * H), each row split into {@code phases} stride phases starting {@code left} columns left of the image.
     */
    private static Tensor padRows(ClDevice d, Tiles tiles, Tensor t, int top, int phases, int cols, int rows,
                                  int left) {
        Shape s = t.shape();
        int planes = s.dim(0) * s.dim(1);
        int rowsOut = rows == 0 ? s.dim(2) : rows;
        Tensor out = d.allocate(Shape.of(planes, rowsOut, phases, cols));
        d.kernel(CONV_FILE, "pad_rows", tiles.convDefines()).launch(
                new long[] {cols, rowsOut, (long) planes * phases}, null,
                t, out, planes, s.dim(2), s.dim(3), rowsOut, phases, cols, top, left);
        return out;
    }

    static Tensor matmul(ClDevice d, Tensor a, Tensor b, boolean transposeA, boolean transposeB, Tiles tiles) {
        Shape out = GradShapes.matmul(a, b, transposeA, transposeB);
        int m = out.dim(0);
        int n = out.dim(1);
        int k = transposeA ? a.shape().dim(0) : a.shape().dim(1);
        Tensor c = d.allocate(out);
        d.kernel(MATMUL_FILE, "matmul", tiles.matmulDefines(transposeA, transposeB)).launch(
                new long[] {ceilDiv(n, tiles.vectorWidth()), ceilDiv(m, tiles.matmulTileM())}, null,
                a, b, c, m, n, k);
        return c;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
