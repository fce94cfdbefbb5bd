package io.ucag.runtime.java;

import java.util.Arrays;

/**
 * The C operand of {@link PackedGemm}, (rows, width): where each tile of the product starts from (zero, a bias,
 * or C's current values to add to) and where it goes. A tile is handed over as row arrays, tile row r and column j
 * being C(r0 + r, j0 + j).
 */
interface GemmOutput {
    /** Fills {@code tile[r][j]}, r < rows, j < cols, with the values the product is added to. */
    void load(int r0, int rows, int j0, int cols, float[][] tile);

    /** Writes {@code tile[r][j]}, r < rows, j < cols, to C. */
    void store(int r0, int rows, int j0, int cols, float[][] tile);

    /**
     * A row-major matrix: element (r, j) at {@code data[offset + r * rowStride + j]}; the product is added to its
     * values when {@code accumulate}, else it overwrites them.
     */
    static GemmOutput matrix(float[] data, int offset, int rowStride, boolean accumulate) {
        return new GemmOutput() {
            @Override
            public void load(int r0, int rows, int j0, int cols, float[][] tile) {
                for (int r = 0; r < rows; r++) {
                    if (accumulate) {
                        System.arraycopy(data, offset + (r0 + r) * rowStride + j0, tile[r], 0, cols);
                    } else {
                        Arrays.fill(tile[r], 0, cols, 0f);
                    }
                }
            }

            @Override
            public void store(int r0, int rows, int j0, int cols, float[][] tile) {
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(tile[r], 0, data, offset + (r0 + r) * rowStride + j0, cols);
                }
            }
        };
    }
}
