package io.ucag.runtime.java;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The {@link GemmKernel} on the Vector API (jdk.incubator.vector, JDK 17), with the platform's preferred vector
 * length L (16 floats with AVX-512, 8 with AVX2). A register block is {@link #ROWS} rows of C by two vectors,
 * all accumulators held in registers over the whole depth block: per depth step two vector loads of B, and per
 * row one broadcast of A and two fused multiply-adds, so the loop is bound by the FMA units, not by the loads.
 * A last single-vector column strip, six rows at a time, covers widths that are an odd multiple of L.
 *
 * <p>Only {@link GemmKernels} loads this class, and only after checking that the module is present: without it
 * the class cannot link.
 */
final class VectorGemmKernel implements GemmKernel {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int L = SPECIES.length();
    /**
     * Rows of C per register block: 12 (24 accumulators) with 512-bit vectors, whose AVX-512 has 32 registers,
     * measured 15-20% faster than 6 there; 6 (12 accumulators) otherwise, to fit AVX2's 16 registers.
     */
    static final int ROWS = SPECIES.vectorBitSize() >= 512 ? 12 : 6;

    /** Six: a 12-row kernel ends a tile with one 6-row block where needed (64 rows pad to 66, not 72). */
    @Override
    public int rowStep() {
        return 6;
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
    public void multiply(float[] a, int depth, int rows, float[][] b, int b0, float[][] c, int cols) {
        for (int r = 0; r < rows; ) {
            int blockRows = ROWS == 12 && r + 12 <= rows ? 12 : 6;
            int a0 = r * depth;
            int j = 0;
            for (; j + 2 * L <= cols; j += 2 * L) {
                if (blockRows == 12) {
                    twoVectors12(a, a0, depth, b, b0, c, r, j);
                } else {
                    twoVectors6(a, a0, depth, b, b0, c, r, j);
                }
            }
            for (int r6 = r; j < cols && r6 < r + blockRows; r6 += 6) {
                oneVector(a, r6 * depth, depth, b, b0, c, r6, j);
            }
            r += blockRows;
        }
    }

    /** Rows r0..r0+11, columns j..j+2L-1. */
    private static void twoVectors12(float[] a, int a0, int depth, float[][] b, int b0, float[][] c,
                                   int r0, int j) {
        float[] c0 = c[r0 + 0];
        float[] c1 = c[r0 + 1];
        float[] c2 = c[r0 + 2];
        float[] c3 = c[r0 + 3];
        float[] c4 = c[r0 + 4];
        float[] c5 = c[r0 + 5];
        float[] c6 = c[r0 + 6];
        float[] c7 = c[r0 + 7];
        float[] c8 = c[r0 + 8];
        float[] c9 = c[r0 + 9];
        float[] c10 = c[r0 + 10];
        float[] c11 = c[r0 + 11];
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
        FloatVector s60 = FloatVector.fromArray(SPECIES, c6, j);
        FloatVector s61 = FloatVector.fromArray(SPECIES, c6, j1);
        FloatVector s70 = FloatVector.fromArray(SPECIES, c7, j);
        FloatVector s71 = FloatVector.fromArray(SPECIES, c7, j1);
        FloatVector s80 = FloatVector.fromArray(SPECIES, c8, j);
        FloatVector s81 = FloatVector.fromArray(SPECIES, c8, j1);
        FloatVector s90 = FloatVector.fromArray(SPECIES, c9, j);
        FloatVector s91 = FloatVector.fromArray(SPECIES, c9, j1);
        FloatVector s100 = FloatVector.fromArray(SPECIES, c10, j);
        FloatVector s101 = FloatVector.fromArray(SPECIES, c10, j1);
        FloatVector s110 = FloatVector.fromArray(SPECIES, c11, j);
        FloatVector s111 = FloatVector.fromArray(SPECIES, c11, j1);
        int a1 = a0 + depth;
        int a2 = a1 + depth;
        int a3 = a2 + depth;
        int a4 = a3 + depth;
        int a5 = a4 + depth;
        int a6 = a5 + depth;
        int a7 = a6 + depth;
        int a8 = a7 + depth;
        int a9 = a8 + depth;
        int a10 = a9 + depth;
        int a11 = a10 + depth;
        for (int k = 0; k < depth; k++) {
            float[] bk = b[b0 + k];
            FloatVector x0 = FloatVector.fromArray(SPECIES, bk, j);
            FloatVector x1 = FloatVector.fromArray(SPECIES, bk, j1);
            FloatVector w0 = FloatVector.broadcast(SPECIES, a[a0 + k]);
            s00 = w0.fma(x0, s00);
            s01 = w0.fma(x1, s01);
            FloatVector w1 = FloatVector.broadcast(SPECIES, a[a1 + k]);
            s10 = w1.fma(x0, s10);
            s11 = w1.fma(x1, s11);
            FloatVector w2 = FloatVector.broadcast(SPECIES, a[a2 + k]);
            s20 = w2.fma(x0, s20);
            s21 = w2.fma(x1, s21);
            FloatVector w3 = FloatVector.broadcast(SPECIES, a[a3 + k]);
            s30 = w3.fma(x0, s30);
            s31 = w3.fma(x1, s31);
            FloatVector w4 = FloatVector.broadcast(SPECIES, a[a4 + k]);
            s40 = w4.fma(x0, s40);
            s41 = w4.fma(x1, s41);
            FloatVector w5 = FloatVector.broadcast(SPECIES, a[a5 + k]);
            s50 = w5.fma(x0, s50);
            s51 = w5.fma(x1, s51);
            FloatVector w6 = FloatVector.broadcast(SPECIES, a[a6 + k]);
            s60 = w6.fma(x0, s60);
            s61 = w6.fma(x1, s61);
            FloatVector w7 = FloatVector.broadcast(SPECIES, a[a7 + k]);
            s70 = w7.fma(x0, s70);
            s71 = w7.fma(x1, s71);
            FloatVector w8 = FloatVector.broadcast(SPECIES, a[a8 + k]);
            s80 = w8.fma(x0, s80);
            s81 = w8.fma(x1, s81);
            FloatVector w9 = FloatVector.broadcast(SPECIES, a[a9 + k]);
            s90 = w9.fma(x0, s90);
            s91 = w9.fma(x1, s91);
            FloatVector w10 = FloatVector.broadcast(SPECIES, a[a10 + k]);
            s100 = w10.fma(x0, s100);
            s101 = w10.fma(x1, s101);
            FloatVector w11 = FloatVector.broadcast(SPECIES, a[a11 + k]);
            s110 = w11.fma(x0, s110);
            s111 = w11.fma(x1, s111);
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
        s60.intoArray(c6, j);
        s61.intoArray(c6, j1);
        s70.intoArray(c7, j);
        s71.intoArray(c7, j1);
        s80.intoArray(c8, j);
        s81.intoArray(c8, j1);
        s90.intoArray(c9, j);
        s91.intoArray(c9, j1);
        s100.intoArray(c10, j);
        s101.intoArray(c10, j1);
        s110.intoArray(c11, j);
        s111.intoArray(c11, j1);
    }

    /** Rows r0..r0+5, columns j..j+2L-1. */
    private static void twoVectors6(float[] a, int a0, int depth, float[][] b, int b0, float[][] c,
                                   int r0, int j) {
        float[] c0 = c[r0 + 0];
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
            float[] bk = b[b0 + k];
            FloatVector x0 = FloatVector.fromArray(SPECIES, bk, j);
            FloatVector x1 = FloatVector.fromArray(SPECIES, bk, j1);
            FloatVector w0 = FloatVector.broadcast(SPECIES, a[a0 + k]);
            s00 = w0.fma(x0, s00);
            s01 = w0.fma(x1, s01);
            FloatVector w1 = FloatVector.broadcast(SPECIES, a[a1 + k]);
            s10 = w1.fma(x0, s10);
            s11 = w1.fma(x1, s11);
            FloatVector w2 = FloatVector.broadcast(SPECIES, a[a2 + k]);
            s20 = w2.fma(x0, s20);
            s21 = w2.fma(x1, s21);
            FloatVector w3 = FloatVector.broadcast(SPECIES, a[a3 + k]);
            s30 = w3.fma(x0, s30);
            s31 = w3.fma(x1, s31);
            FloatVector w4 = FloatVector.broadcast(SPECIES, a[a4 + k]);
            s40 = w4.fma(x0, s40);
            s41 = w4.fma(x1, s41);
            FloatVector w5 = FloatVector.broadcast(SPECIES, a[a5 + k]);
            s50 = w5.fma(x0, s50);
            s51 = w5.fma(x1, s51);
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
    private static void oneVector(float[] a, int a0, int depth, float[][] b, int b0, float[][] c,
                                   int r0, int j) {
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
            FloatVector x = FloatVector.fromArray(SPECIES, b[b0 + k], j);
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
