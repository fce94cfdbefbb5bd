package io.ucag.runtime.java;

/**
 * The B operand of {@link PackedGemm}, (depth, width), as something that can copy one block of itself into row
 * arrays: a stored matrix ({@link GemmMatrix}) or one built on the fly, such as the im2col matrix of a
 * convolution ({@link ConvGemmSource}), which then never exists whole.
 */
interface GemmPanelSource {
    /** {@code rows[k][j] = B(k0 + k, j0 + j)} for k in [0, depth), j in [0, cols). */
    void packRows(int k0, int depth, int j0, int cols, float[][] rows);
}
