package io.ucag.runtime.java;

import java.util.Arrays;

/**
 * A matrix stored in a float array with any strides, so that a transpose is free: element (i, j) is
 * {@code data[offset + i * rowStride + j * colStride]}. Packs itself into {@link PackedGemm}'s panels, reading
 * along whichever axis is contiguous.
 */
record GemmMatrix(float[] data, int offset, int rowStride, int colStride) implements GemmPanelSource {
    /** A row-major matrix with {@code columns} columns. */
    static GemmMatrix rowMajor(float[] data, int offset, int columns) {
        return new GemmMatrix(data, offset, columns, 1);
    }

    /** The transpose of a row-major matrix with {@code columns} columns. */
    static GemmMatrix transposed(float[] data, int offset, int columns) {
        return new GemmMatrix(data, offset, 1, columns);
    }

    @Override
    public void packRows(int k0, int depth, int j0, int cols, float[][] rows) {
        if (colStride == 1) {
            for (int k = 0; k < depth; k++) {
                System.arraycopy(data, offset + (k0 + k) * rowStride + j0, rows[k], 0, cols);
            }
            return;
        }
        // transposed source: eight columns at a time, so each row gets eight neighbouring values per visit and
        // each source column is still read in order (one column at a time touches a new line per value)
        int j = 0;
        for (; j + 8 <= cols; j += 8) {
            int base = offset + (j0 + j) * colStride + k0 * rowStride;
            int cs = colStride;
            for (int k = 0; k < depth; k++) {
                int at = base + k * rowStride;
                float[] row = rows[k];
                row[j] = data[at];
                row[j + 1] = data[at + cs];
                row[j + 2] = data[at + 2 * cs];
                row[j + 3] = data[at + 3 * cs];
                row[j + 4] = data[at + 4 * cs];
                row[j + 5] = data[at + 5 * cs];
                row[j + 6] = data[at + 6 * cs];
                row[j + 7] = data[at + 7 * cs];
            }
        }
        for (; j < cols; j++) {
            int base = offset + (j0 + j) * colStride + k0 * rowStride;
            for (int k = 0; k < depth; k++) {
                rows[k][j] = data[base + k * rowStride];
            }
        }
    }

    /**
     * The A panel: {@code panel[r * paddedDepth + k] = A(r0 + r, k0 + k)} for r < rows, k < depth, and zero for
     * k in [depth, paddedDepth) and for rows in [rows, paddedRows).
     */
    void packPanel(int r0, int rows, int paddedRows, int k0, int depth, int paddedDepth, float[] panel) {
        int base = offset + r0 * rowStride + k0 * colStride;
        if (colStride == 1) {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(data, base + r * rowStride, panel, r * paddedDepth, depth);
            }
        } else {
            // column-major A: walk down each column; row by row would touch a new line per value
            for (int k = 0; k < depth; k++) {
                int column = base + k * colStride;
                for (int r = 0; r < rows; r++) {
                    panel[r * paddedDepth + k] = data[column + r * rowStride];
                }
            }
        }
        if (depth < paddedDepth) {
            for (int r = 0; r < rows; r++) {
                Arrays.fill(panel, r * paddedDepth + depth, (r + 1) * paddedDepth, 0f);
            }
        }
        Arrays.fill(panel, rows * paddedDepth, paddedRows * paddedDepth, 0f);
    }
}
