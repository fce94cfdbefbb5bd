package io.ucag.runtime.java;

/**
 * The multiply-add kernel behind conv2d and linear: {@code C += A * B} where A is row-major in one array and
 * B and C are given as separate row arrays.
 *
 * <p>Why this shape (measured on JDK 17 C2, AVX-512): the JIT auto-vectorises the inner loop over {@code j}
 * only when every array in it is indexed by {@code j} alone, so packed B rows and C accumulator rows are separate
 * {@code float[]}s (rows of one big array at different offsets run scalar: 13 instead of 55 GFLOP/s per core).
 * Of the register blockings tried, 4 C rows x 2 k steps per pass over {@code j} is the fastest one that stays
 * vectorised whatever the JIT inlines it into; 2 rows x 4 k steps is 10% faster alone but turns scalar once
 * inlined into a caller's loop, and 3x4, 4x4, 2x6, 8x2 never vectorise. An odd last k step is done by its own
 * single-step method, because a remainder loop after the main k loop also defeats the vectoriser. Re-measure
 * with {@code ConvBenchmark} after any edit here.
 */
final class JavaGemm {
    private JavaGemm() {
    }

    /**
     * For r in [0, rows), k in [0, depth), j in [0, width):
     * {@code c[cRow + r][j] += a[aOffset + r * lda + k] * b[k][j]}, with fused multiply-adds in k order.
     */
    static void multiplyAdd(float[] a, int aOffset, int lda, int rows, float[][] b, int depth,
                            float[][] c, int cRow, int width) {
        int evenDepth = depth & ~1;
        int r = 0;
        for (; r + 3 < rows; r += 4) {
            int a0 = aOffset + r * lda;
            fourRows(a, a0, lda, b, evenDepth, c, cRow + r, width);
            if (evenDepth < depth) {
                fourRowsOneStep(a, a0 + evenDepth, lda, b[evenDepth], c, cRow + r, width);
            }
        }
        for (; r < rows; r++) {
            int a0 = aOffset + r * lda;
            oneRow(a, a0, b, evenDepth, c[cRow + r], width);
            if (evenDepth < depth) {
                oneRowOneStep(a[a0 + evenDepth], b[evenDepth], c[cRow + r], width);
            }
        }
    }

    /** Rows cRow..cRow+3 over an even depth, two k steps per pass. */
    private static void fourRows(float[] a, int a0, int lda, float[][] b, int evenDepth, float[][] c, int cRow,
                                 int width) {
        int a1 = a0 + lda;
        int a2 = a1 + lda;
        int a3 = a2 + lda;
        float[] c0 = c[cRow];
        float[] c1 = c[cRow + 1];
        float[] c2 = c[cRow + 2];
        float[] c3 = c[cRow + 3];
        for (int k = 0; k < evenDepth; k += 2) {
            float w00 = a[a0 + k];
            float w01 = a[a0 + k + 1];
            float w10 = a[a1 + k];
            float w11 = a[a1 + k + 1];
            float w20 = a[a2 + k];
            float w21 = a[a2 + k + 1];
            float w30 = a[a3 + k];
            float w31 = a[a3 + k + 1];
            float[] b0 = b[k];
            float[] b1 = b[k + 1];
            for (int j = 0; j < width; j++) {
                float x0 = b0[j];
                float x1 = b1[j];
                c0[j] = Math.fma(w01, x1, Math.fma(w00, x0, c0[j]));
                c1[j] = Math.fma(w11, x1, Math.fma(w10, x0, c1[j]));
                c2[j] = Math.fma(w21, x1, Math.fma(w20, x0, c2[j]));
                c3[j] = Math.fma(w31, x1, Math.fma(w30, x0, c3[j]));
            }
        }
    }

    private static void fourRowsOneStep(float[] a, int a0, int lda, float[] bk, float[][] c, int cRow, int width) {
        float w0 = a[a0];
        float w1 = a[a0 + lda];
        float w2 = a[a0 + 2 * lda];
        float w3 = a[a0 + 3 * lda];
        float[] c0 = c[cRow];
        float[] c1 = c[cRow + 1];
        float[] c2 = c[cRow + 2];
        float[] c3 = c[cRow + 3];
        for (int j = 0; j < width; j++) {
            float x = bk[j];
            c0[j] = Math.fma(w0, x, c0[j]);
            c1[j] = Math.fma(w1, x, c1[j]);
            c2[j] = Math.fma(w2, x, c2[j]);
            c3[j] = Math.fma(w3, x, c3[j]);
        }
    }

    private static void oneRow(float[] a, int a0, float[][] b, int evenDepth, float[] c0, int width) {
        for (int k = 0; k < evenDepth; k += 2) {
            float w0 = a[a0 + k];
            float w1 = a[a0 + k + 1];
            float[] b0 = b[k];
            float[] b1 = b[k + 1];
            for (int j = 0; j < width; j++) {
                c0[j] = Math.fma(w1, b1[j], Math.fma(w0, b0[j], c0[j]));
            }
        }
    }

    private static void oneRowOneStep(float w, float[] bk, float[] c0, int width) {
        for (int j = 0; j < width; j++) {
            c0[j] = Math.fma(w, bk[j], c0[j]);
        }
    }
}
