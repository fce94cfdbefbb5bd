package io.ucag.runtime.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * {@link PackedGemm} on every kernel this JVM can run (the Vector API one when jdk.incubator.vector is added, as in
 * the default test run; the plain-Java one always) against a double-precision triple loop, on awkward sizes that
 * leave partial register blocks, tiles and depth blocks, with every combination of transposes.
 */
class PackedGemmTest {
    private static final int[] SIZES = {1, 3, 7, 13, 17, 65, 300};

    private static List<GemmKernel> kernels() {
        List<GemmKernel> kernels = new ArrayList<>();
        kernels.add(GemmKernels.plain());
        if (GemmKernels.vectorAvailable()) {
            kernels.add(GemmKernels.vector());
        }
        return kernels;
    }

    @Property(tries = 40)
    void matchesADoublePrecisionProductWithinTheFmaChainBound(
            @ForAll @IntRange(min = 0, max = 6) int mi, @ForAll @IntRange(min = 0, max = 6) int ki,
            @ForAll @IntRange(min = 0, max = 6) int ni, @ForAll boolean transposeA, @ForAll boolean transposeB,
            @ForAll boolean accumulate, @ForAll @IntRange(min = 1, max = 3) int threads,
            @ForAll @IntRange(min = 0, max = 1 << 20) int seed) {
        int m = SIZES[mi];
        int k = SIZES[ki];
        int n = SIZES[ni];
        Random rng = new Random(seed);
        float[] a = random(rng, m * k);
        float[] b = random(rng, k * n);
        float[] c0 = random(rng, m * n);
        GemmMatrix opA = transposeA ? GemmMatrix.transposed(a, 0, m) : GemmMatrix.rowMajor(a, 0, k);
        GemmMatrix opB = transposeB ? GemmMatrix.transposed(b, 0, k) : GemmMatrix.rowMajor(b, 0, n);
        ParallelLoop loop = new ParallelLoop(threads);
        try {
            for (GemmKernel kernel : kernels()) {
                float[] c = c0.clone();
                PackedGemm.multiply(loop, kernel, opA, opB, GemmOutput.matrix(c, 0, n, accumulate), m, k, n);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double exact = accumulate ? c0[i * n + j] : 0;
                        double magnitude = Math.abs(exact);
                        float chain = accumulate ? c0[i * n + j] : 0f;
                        for (int p = 0; p < k; p++) {
                            float x = element(opA, i, p);
                            float y = element(opB, p, j);
                            exact += (double) x * y;
                            magnitude += Math.abs((double) x * y);
                            chain = Math.fma(x, y, chain);
                        }
                        String where = kernel.name() + " " + m + "x" + k + "x" + n + " tA=" + transposeA + " tB="
                                + transposeB + " acc=" + accumulate + " at (" + i + ", " + j + ")";
                        // one rounding per fused multiply-add: |error| <= k * 2^-24 * sum |terms| (Higham 3.1)
                        double bound = (k + 1) * 0x1p-24 * magnitude + 1e-30;
                        assertTrue(Math.abs(c[i * n + j] - exact) <= bound,
                                where + ": " + c[i * n + j] + " vs " + exact + ", bound " + bound);
                        // and exactly the k-order chain, whatever the kernel, blocking and thread count
                        assertEquals(chain, c[i * n + j], 0f, where);
                    }
                }
            }
        } finally {
            loop.shutdown();
        }
    }

    @Test
    void stridedOperandsInsideLargerArraysOnlyTouchTheirOwnBlock() {
        // A is the 13x17 block at row 2, column 3 of a 20x30 array; C the 13x65 block at offset 7 of a wider array
        Random rng = new Random(7);
        float[] big = random(rng, 20 * 30);
        float[] b = random(rng, 17 * 65);
        float[] c = new float[7 + 13 * 70 + 5];
        java.util.Arrays.fill(c, 42f);
        GemmMatrix a = new GemmMatrix(big, 2 * 30 + 3, 30, 1);
        ParallelLoop loop = new ParallelLoop(2);
        try {
            PackedGemm.multiply(loop, GemmKernels.preferred(), a, GemmMatrix.rowMajor(b, 0, 65),
                    GemmOutput.matrix(c, 7, 70, false), 13, 17, 65);
        } finally {
            loop.shutdown();
        }
        for (int i = 0; i < 13; i++) {
            for (int j = 0; j < 70; j++) {
                float got = c[7 + i * 70 + j];
                if (j >= 65) {
                    assertEquals(42f, got, 0f, "padding column " + j + " of row " + i);
                    continue;
                }
                float chain = 0f;
                for (int p = 0; p < 17; p++) {
                    chain = Math.fma(big[(2 + i) * 30 + 3 + p], b[p * 65 + j], chain);
                }
                assertEquals(chain, got, 0f, "(" + i + ", " + j + ")");
            }
        }
        assertEquals(42f, c[6], 0f);
        assertEquals(42f, c[c.length - 1], 0f);
    }

    @Test
    void theVectorKernelIsUsedUnlessTheModuleIsMissingOrTheFlagSaysNo() {
        boolean wanted = !"false".equalsIgnoreCase(System.getProperty(GemmKernels.PROPERTY));
        boolean vector = !(GemmKernels.preferred() instanceof PlainGemmKernel);
        assertEquals(wanted && GemmKernels.vectorAvailable(), vector, GemmKernels.preferred().name());
    }

    private static float element(GemmMatrix m, int i, int j) {
        return m.data()[m.offset() + i * m.rowStride() + j * m.colStride()];
    }

    private static float[] random(Random rng, int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = rng.nextFloat() * 2 - 1;
        }
        return v;
    }
}
