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
        static final Tiles DEFAULT = new Tiles(8, 4, 4, 4, 8);

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
        Shape xs = GradShapes.conv2dBackwardInput(gradOut, weight, inputShape, p);
        Shape ws = weight.shape();
        Shape gs = gradOut.shape();
        Tiles tiles = Tiles.DEFAULT;
        int n = xs.dim(0);
        int c = xs.dim(1);
        int h = xs.dim(2);
        int w = xs.dim(3);
        // pixels x of one row that share x % strideW form a residue class of ceil(w / strideW) pixels at most
        int tilesPerResidue = ceilDiv(ceilDiv(w, p.strideW()), tiles.vectorWidth());
        int channelTiles = ceilDiv(c, tiles.inputTileC());
        Tensor dx = d.allocate(xs);
        d.kernel(CONV_FILE, "conv2d_backward_input", tiles.convDefines()).launch(
                new long[] {(long) p.strideW() * tilesPerResidue, h, (long) n * channelTiles}, null,
                gradOut, weight, dx, c, h, w, ws.dim(0), gs.dim(2), gs.dim(3), ws.dim(2), ws.dim(3),
                p.strideH(), p.strideW(), p.padH(), p.padW(), p.dilationH(), p.dilationW(), tilesPerResidue,
                channelTiles);
        return dx;
    }

    static Tensor conv2dBackwardWeight(ClDevice d, Tensor gradOut, Tensor input, int kernelH, int kernelW,
                                       Conv2dParams p) {
        Shape dwShape = GradShapes.conv2dBackwardWeight(gradOut, input, kernelH, kernelW, p);
        Shape xs = input.shape();
        Shape gs = gradOut.shape();
        Tiles tiles = Tiles.DEFAULT;
        int filter = xs.dim(1) * kernelH * kernelW;
        Tensor dw = d.allocate(dwShape);
        d.kernel(CONV_FILE, "conv2d_backward_weight", tiles.convDefines()).launch(
                new long[] {ceilDiv(filter, tiles.weightTileK()), ceilDiv(gs.dim(1), tiles.weightTileO())}, null,
                gradOut, input, dw, xs.dim(0), xs.dim(1), xs.dim(2), xs.dim(3), gs.dim(1), gs.dim(2), gs.dim(3),
                kernelH, kernelW, p.strideH(), p.strideW(), p.padH(), p.padW(), p.dilationH(), p.dilationW());
        return dw;
    }

    static Tensor matmul(ClDevice d, Tensor a, Tensor b, boolean transposeA, boolean transposeB) {
        Shape out = GradShapes.matmul(a, b, transposeA, transposeB);
        Tiles tiles = Tiles.DEFAULT;
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
