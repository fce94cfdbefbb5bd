package io.ucag.runtime.java;

import io.ucag.runtime.OpShapes;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code F.linear}: {@code out (N, M) = x (N, K) * W^T + b} with W (M, K) row-major.
 *
 * <p>Few input rows (N <= {@value #DOT_MAX_ROWS}) make it a pass over W that is bound by memory bandwidth: each
 * output is a dot product read straight from W's row. More rows go through {@link JavaGemm}: per work item a
 * tile of output features whose {@code W^T} panel is packed depth block by depth block, with a block of input rows
 * multiplied into it.
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
        int chunks = JavaConv.ceilDiv(depth, lanes);
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

    private static void panels(JavaDevice d, float[] in, float[] w, float[] b, float[] out, int n, int depth,
                               int features) {
        int threads = d.loop().threads();
        int width = JavaConv.tileWidth(JavaConv.ceilDiv(features, 4 * threads), features);
        int depthBlock = Math.min(depth, Math.max(JavaConv.MIN_ROW_BLOCK, JavaConv.PANEL_FLOATS / width));
        int tiles = JavaConv.ceilDiv(features, width);
        int rowBlock = JavaConv.rowBlock(n, tiles, threads);
        int rowBlocks = JavaConv.ceilDiv(n, rowBlock);
        int items = tiles * rowBlocks;
        AtomicInteger next = new AtomicInteger();
        JavaConv.runWorkers(d, items, (long) n * features * depth, () -> {
            float[][] panel = new float[depthBlock][width];
            float[][] acc = new float[rowBlock][width];
            for (int item = next.getAndIncrement(); item < items; item = next.getAndIncrement()) {
                int m0 = (item / rowBlocks) * width;
                int cols = Math.min(width, features - m0);
                int n0 = (item % rowBlocks) * rowBlock;
                int rows = Math.min(rowBlock, n - n0);
                for (int r = 0; r < rows; r++) {
                    if (b == null) {
                        Arrays.fill(acc[r], 0, cols, 0f);
                    } else {
                        System.arraycopy(b, m0, acc[r], 0, cols);
                    }
                }
                for (int k0 = 0; k0 < depth; k0 += depthBlock) {
                    int kc = Math.min(depthBlock, depth - k0);
                    packTransposed(w, depth, m0, cols, k0, kc, panel);
                    JavaGemm.multiplyAdd(in, n0 * depth + k0, depth, rows, panel, kc, acc, 0, cols);
                }
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(acc[r], 0, out, (n0 + r) * features + m0, cols);
                }
            }
        });
    }

    /**
     * {@code panel[k][j] = W[m0 + j][k0 + k]} for W row-major with {@code depth} columns, 16 W rows at a time so
     * that the lines read stay in L1 while each panel row gets 16 consecutive values.
     */
    private static void packTransposed(float[] w, int depth, int m0, int cols, int k0, int kc, float[][] panel) {
        for (int j0 = 0; j0 < cols; j0 += 16) {
            int count = Math.min(16, cols - j0);
            int rowStart = (m0 + j0) * depth + k0;
            for (int k = 0; k < kc; k++) {
                float[] dst = panel[k];
                for (int j = 0; j < count; j++) {
                    dst[j0 + j] = w[rowStart + j * depth + k];
                }
            }
        }
    }
}
