package io.ucag.runtime.java;

import io.ucag.runtime.OpShapes;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import java.util.Arrays;

/**
 * {@code F.linear}: {@code out (N, M) = x (N, K) * W^T + b} with W (M, K) row-major.
 *
 * <p>Few input rows (N <= {@value #DOT_MAX_ROWS}) make it a pass over W that is bound by memory bandwidth: each
 * output is a dot product read straight from W's row. More rows go through {@link PackedGemm}, with
 * {@code W^T} packed block by block from W.
 */
final class JavaLinear {
    /** Up to this many input rows, dot products straight from W beat packing W^T panels. */
    static final int DOT_MAX_ROWS = 4;
    /** Partial sums per dot product: the length of the vectorised loop. */
    private static final int DOT_LANES = 512;

    private JavaLinear() {
    }

    static Tensor linear(JavaDevice d, Tensor x, Tensor weight, Tensor bias) {
        Shape ys = OpShapes.linear(x, weight, bias);
        Tensor y = d.allocate(ys);
        float[] b = bias == null ? null : d.data(bias);
        if (ys.dim(0) <= DOT_MAX_ROWS) {
            dots(d, d.data(x), d.data(weight), b, d.data(y), ys.dim(0), x.shape().dim(1), ys.dim(1));
        } else {
            panels(d, d.data(x), d.data(weight), b, d.data(y), ys.dim(0), x.shape().dim(1), ys.dim(1));
        }
        return y;
    }

    /**
     * Dot products: lane j of the partial sums adds the terms k = j mod {@value #DOT_LANES}. Every chunk of a W row
     * is first copied into a small buffer and the input rows are pre-split into chunk arrays, so that the dot loop
     * indexes all its arrays by {@code j} alone, which the JIT vectorises (offsets into W keep it scalar, 3x
     * slower than memory).
     */
    private static void dots(JavaDevice d, float[] in, float[] w, float[] b, float[] out, int n, int depth,
                             int features) {
        int lanes = Math.min(depth, DOT_LANES);
        int chunks = (depth + lanes - 1) / lanes;
        float[][][] inChunks = new float[n][chunks][lanes];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < chunks; c++) {
                System.arraycopy(in, r * depth + c * lanes, inChunks[r][c], 0, Math.min(lanes, depth - c * lanes));
            }
        }
        d.loop().forRange(features, (long) n * depth, (from, to) -> {
            float[] wChunk = new float[lanes];
            float[][] partial = new float[n][lanes];
            for (int m = from; m < to; m++) {
                for (float[] p : partial) {
                    Arrays.fill(p, 0f);
                }
                for (int c = 0; c < chunks; c++) {
                    int length = Math.min(lanes, depth - c * lanes);
                    System.arraycopy(w, m * depth + c * lanes, wChunk, 0, length);
                    for (int r = 0; r < n; r++) {
                        dot(wChunk, inChunks[r][c], partial[r], length);
                    }
                }
                for (int r = 0; r < n; r++) {
                    float sum = b == null ? 0f : b[m];
                    for (float v : partial[r]) {
                        sum += v;
                    }
                    out[r * features + m] = sum;
                }
            }
        });
    }

    private static void dot(float[] wChunk, float[] inChunk, float[] partial, int length) {
        for (int j = 0; j < length; j++) {
            partial[j] = Math.fma(wChunk[j], inChunk[j], partial[j]);
        }
    }

    /** {@code out = x * W^T + b} on {@link PackedGemm}, W^T read in place as the transpose of W. */
    private static void panels(JavaDevice d, float[] in, float[] w, float[] b, float[] out, int n, int depth,
                               int features) {
        GemmOutput c = new GemmOutput() {
            @Override
            public void load(int r0, int rows, int j0, int cols, float[][] tile) {
                for (int r = 0; r < rows; r++) {
                    if (b == null) {
                        Arrays.fill(tile[r], 0, cols, 0f);
                    } else {
                        System.arraycopy(b, j0, tile[r], 0, cols);
                    }
                }
            }

            @Override
            public void store(int r0, int rows, int j0, int cols, float[][] tile) {
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(tile[r], 0, out, (r0 + r) * features + j0, cols);
                }
            }
        };
        PackedGemm.multiply(d.loop(), GemmMatrix.rowMajor(in, 0, depth), GemmMatrix.transposed(w, 0, depth), c, n,
                depth, features);
    }
}
