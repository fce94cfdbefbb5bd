package io.ucag.runtime.java;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The {@link GemmKernel} on the Vector API (jdk.incubator.vector, JDK 17), with the platform's preferred vector
 * length L (16 floats with AVX-512, 8 with AVX2). A register block is {@value #ROWS} rows of C by two vectors:
 * 12 accumulators, two vectors of B and one broadcast of A per depth step, which fits the 16 vector registers
 * of AVX2 (AVX-512 has 32). Per depth step it issues 12 fused multiply-adds for 2 vector loads and 6 scalar
 * loads, so the loop is bound by the FMA units, not by the loads. A last single-vector column strip covers
 * widths that are an odd multiple of L.
 *
 * <p>Only {@link GemmKernels} loads this class, and only after checking that the module is present: without it
 * the class cannot link.
 */
final class VectorGemmKernel implements GemmKernel {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int L = SPECIES.length();
    /** Rows of C per register block. */
    static final int ROWS = 6;

    @Override
    public int rowStep() {
        return ROWS;
    }

    @Override
    public int columnStep() {
        return L;
    }

    @Override
    public String name() {
        return "Vector API, " + SPECIES.vectorBitSize() + "-bit, " + ROWS + "x" + (2 * L) + " register block";
    }

    @Override
    public void multiply(float[] a, int depth, int rows, float[][] b, float[][] c, int cols) {
        for (int r = 0; r < rows; r += ROWS) {
            int a0 = r * depth;
            int j = 0;
            for (; j + 2 * L <= cols; j += 2 * L) {
                twoVectors(a, a0, depth, b, c, r, j);
            }
            if (j < cols) {
                oneVector(a, a0, depth, b, c, r, j);
            }
        }
    }

    /** Rows r0..r0+5, columns j..j+2L-1. */
    private static void twoVectors(float[] a, int a0, int depth, float[][] b, float[][] c, int r0, int j) {
        float[] c0 = c[r0];
        float[] c1 = c[r0 + 1];
        float[] c2 = c[r0 + 2];
        float[] c3 = c[r0 + 3];
        float[] c4 = c[r0 + 4];
        float[] c5 = c[r0 + 5];
        int j1 = j + L;
        FloatVector s00 = FloatVector.fromArray(SPECIES, c0, j);
        FloatVector s01 = FloatVector.fromArray(SPECIES, c0, j1);
        FloatVector s10 = FloatVector.fromArray(SPECIES, c1, j);
        FloatVector s11 = FloatVector.fromArray(SPECIES, c1, j1);
        FloatVector s20 = FloatVector.fromArray(SPECIES, c2, j);
        FloatVector s21 = FloatVector.fromArray(SPECIES, c2, j1);
        FloatVector s30 = FloatVector.fromArray(SPECIES, c3, j);
        FloatVector s31 = FloatVector.fromArray(SPECIES, c3, j1);
        FloatVector s40 = FloatVector.fromArray(SPECIES, c4, j);
        FloatVector s41 = FloatVector.fromArray(SPECIES, c4, j1);
        FloatVector s50 = FloatVector.fromArray(SPECIES, c5, j);
        FloatVector s51 = FloatVector.fromArray(SPECIES, c5, j1);
        int a1 = a0 + depth;
        int a2 = a1 + depth;
        int a3 = a2 + depth;
        int a4 = a3 + depth;
        int a5 = a4 + depth;
        for (int k = 0; k < depth; k++) {
            float[] bk = b[k];
            FloatVector x0 = FloatVector.fromArray(SPECIES, bk, j);
            FloatVector x1 = FloatVector.fromArray(SPECIES, bk, j1);
            FloatVector w = FloatVector.broadcast(SPECIES, a[a0 + k]);
            s00 = w.fma(x0, s00);
            s01 = w.fma(x1, s01);
            w = FloatVector.broadcast(SPECIES, a[a1 + k]);
            s10 = w.fma(x0, s10);
            s11 = w.fma(x1, s11);
            w = FloatVector.broadcast(SPECIES, a[a2 + k]);
            s20 = w.fma(x0, s20);
            s21 = w.fma(x1, s21);
            w = FloatVector.broadcast(SPECIES, a[a3 + k]);
            s30 = w.fma(x0, s30);
            s31 = w.fma(x1, s31);
            w = FloatVector.broadcast(SPECIES, a[a4 + k]);
            s40 = w.fma(x0, s40);
            s41 = w.fma(x1, s41);
            w = FloatVector.broadcast(SPECIES, a[a5 + k]);
            s50 = w.fma(x0, s50);
            s51 = w.fma(x1, s51);
        }
        s00.intoArray(c0, j);
        s01.intoArray(c0, j1);
        s10.intoArray(c1, j);
        s11.intoArray(c1, j1);
        s20.intoArray(c2, j);
        s21.intoArray(c2, j1);
        s30.intoArray(c3, j);
        s31.intoArray(c3, j1);
        s40.intoArray(c4, j);
        s41.intoArray(c4, j1);
        s50.intoArray(c5, j);
        s51.intoArray(c5, j1);
    }

    /** Rows r0..r0+5, columns j..j+L-1. */
    private static void oneVector(float[] a, int a0, int depth, float[][] b, float[][] c, int r0, int j) {
        float[] c0 = c[r0];
        float[] c1 = c[r0 + 1];
        float[] c2 = c[r0 + 2];
        float[] c3 = c[r0 + 3];
        float[] c4 = c[r0 + 4];
        float[] c5 = c[r0 + 5];
        FloatVector s0 = FloatVector.fromArray(SPECIES, c0, j);
        FloatVector s1 = FloatVector.fromArray(SPECIES, c1, j);
        FloatVector s2 = FloatVector.fromArray(SPECIES, c2, j);
        FloatVector s3 = FloatVector.fromArray(SPECIES, c3, j);
        FloatVector s4 = FloatVector.fromArray(SPECIES, c4, j);
        FloatVector s5 = FloatVector.fromArray(SPECIES, c5, j);
        int a1 = a0 + depth;
        int a2 = a1 + depth;
        int a3 = a2 + depth;
        int a4 = a3 + depth;
        int a5 = a4 + depth;
        for (int k = 0; k < depth; k++) {
            FloatVector x = FloatVector.fromArray(SPECIES, b[k], j);
            s0 = FloatVector.broadcast(SPECIES, a[a0 + k]).fma(x, s0);
            s1 = FloatVector.broadcast(SPECIES, a[a1 + k]).fma(x, s1);
            s2 = FloatVector.broadcast(SPECIES, a[a2 + k]).fma(x, s2);
            s3 = FloatVector.broadcast(SPECIES, a[a3 + k]).fma(x, s3);
            s4 = FloatVector.broadcast(SPECIES, a[a4 + k]).fma(x, s4);
            s5 = FloatVector.broadcast(SPECIES, a[a5 + k]).fma(x, s5);
        }
        s0.intoArray(c0, j);
        s1.intoArray(c1, j);
        s2.intoArray(c2, j);
        s3.intoArray(c3, j);
        s4.intoArray(c4, j);
        s5.intoArray(c5, j);
    }
}
