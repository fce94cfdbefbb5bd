package io.ucag.runtime.java;

/**
 * The register-blocked inner product of {@link PackedGemm}: multiplies a packed panel of A into a tile of C held
 * as row arrays, on the packed rows of B. Two implementations: {@link VectorGemmKernel} (jdk.incubator.vector,
 * only when the JVM was started with {@code --add-modules jdk.incubator.vector}) and {@link PlainGemmKernel}
 * (plain Java that HotSpot's C2 vectorises by itself); {@link GemmKernels} picks one.
 *
 * <p>Every implementation computes each {@code c[r][j]} as one chain of fused multiply-adds in k order, starting
 * from the value it finds in C, so both give bit-identical results.
 */
interface GemmKernel {
    /** Rows of C per register block: the tile rows handed to {@link #multiply} are a multiple of this. */
    int rowStep();

    /** Columns of C per register block: the tile columns handed to {@link #multiply} are a multiple of this. */
    int columnStep();

    /** A short name for logs and benchmarks. */
    String name();

    /**
     * For r in [0, rows), j in [0, cols): {@code c[r][j] += sum over k < depth of a[r * depth + k] * b[b0 + k][j]},
     * one fused multiply-add per k, in k order. {@code depth} is a positive multiple of 4, {@code rows} a multiple
     * of {@link #rowStep()} and {@code cols} of {@link #columnStep()}; the arrays hold at least that much.
     */
    void multiply(float[] a, int depth, int rows, float[][] b, int b0, float[][] c, int cols);
}
