package io.ucag.runtime.java;

/**
 * The {@link GemmKernel} in plain Java, for JVMs without jdk.incubator.vector (e.g. {@code java -jar}, whose
 * manifest cannot add the module). Two C rows times four depth steps per pass over the columns, a loop HotSpot C2
 * (JDK 17) vectorises by itself, measured at 40-65 GFLOP/s per core when vectorised and 10-15 when not:
 * <ul>
 *   <li>every array in the loop over {@code j} is indexed by {@code j} alone (rows of one big array at offsets,
 *       or one array read at {@code j0 + j}, stay scalar), hence the row arrays for B and C; A is one flat array
 *       (its rows as separate arrays also stay scalar);</li>
 *   <li>two C rows times four depth steps per pass over j (three or four rows, or two passes over j per depth
 *       iteration, stay scalar), with the loop written {@code k < depth; k += 4};</li>
 *   <li>no branch that might first be taken late: when C2 deoptimises and recompiles a method holding the loop,
 *       the new code was at times scalar and stayed so (3-7x slower for every later product). So
 *       {@link PackedGemm} pads instead of branching: even tiles, depth a multiple of four;</li>
 *   <li>the kernel must not be inlined into its caller: inlined, it was scalar from the start or after the
 *       caller's first recompilation. C2 does not inline hot methods above 325 bytecodes (FreqInlineSize), and
 *       the kernel's assertions (free when assertions are off) keep it above that.</li>
 * </ul>
 * Re-measure with {@code bench-conv --device java} after any edit of the kernel.
 */
final class PlainGemmKernel implements GemmKernel {
    @Override
    public int rowStep() {
        return 2;
    }

    @Override
    public int columnStep() {
        return 1;
    }

    @Override
    public String name() {
        return "plain Java (C2 auto-vectorised)";
    }

    @Override
    public void multiply(float[] a, int depth, int rows, float[][] b, int b0, float[][] c, int cols) {
        multiplyRowPairs(a, depth, rows / 2, b, b0, c, cols);
    }

    /** See the class comment before changing anything here (the assertions included). */
    private static void multiplyRowPairs(float[] a, int depth, int pairs, float[][] b, int b0, float[][] c,
                                         int width) {
        assert depth > 0 && depth % 4 == 0 : "depth " + depth + " is not a positive multiple of 4";
        assert a.length >= 2 * pairs * depth : "A panel of " + a.length + " for " + pairs + " row pairs x " + depth;
        assert b.length >= b0 + depth && c.length >= 2 * pairs : "B rows " + b.length + ", C rows " + c.length;
        for (int pair = 0; pair < pairs; pair++) {
            float[] c0 = c[2 * pair];
            float[] c1 = c[2 * pair + 1];
            int a0 = 2 * pair * depth;
            int a1 = a0 + depth;
            for (int k = 0; k < depth; k += 4) {
                float w00 = a[a0 + k];
                float w01 = a[a0 + k + 1];
                float w02 = a[a0 + k + 2];
                float w03 = a[a0 + k + 3];
                float w10 = a[a1 + k];
                float w11 = a[a1 + k + 1];
                float w12 = a[a1 + k + 2];
                float w13 = a[a1 + k + 3];
                float[] bk0 = b[b0 + k];
                float[] b1 = b[b0 + k + 1];
                float[] b2 = b[b0 + k + 2];
                float[] b3 = b[b0 + k + 3];
                for (int j = 0; j < width; j++) {
                    float x0 = bk0[j];
                    float x1 = b1[j];
                    float x2 = b2[j];
                    float x3 = b3[j];
                    c0[j] = Math.fma(w03, x3, Math.fma(w02, x2, Math.fma(w01, x1, Math.fma(w00, x0, c0[j]))));
                    c1[j] = Math.fma(w13, x3, Math.fma(w12, x2, Math.fma(w11, x1, Math.fma(w10, x0, c1[j]))));
                }
            }
        }
    }
}
