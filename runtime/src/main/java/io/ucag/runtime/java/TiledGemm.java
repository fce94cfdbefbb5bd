package io.ucag.runtime.java;

import java.util.Arrays;

/**
 * The matrix product behind matmul and the convolution gradients: {@code C = A * B} or {@code C += A * B}
 * for A (rows, depth), B (depth, width) given as {@link Operand}s (any strides, so transposes are free) and C
 * row-major (rows, width).
 *
 * <p>C is cut into tiles of at most {@link #ROW_TILE} x {@link #COL_TILE}, one parallel task each. A task walks
 * the depth in slices of {@link #DEPTH_SLICE}: it copies the slice of B under its tile into private row arrays
 * (256 x 256 floats = 256 KiB, which stays in L2 while all row pairs of the tile reuse it; the copy costs
 * 1/{@value #ROW_TILE} of the multiply-adds) and the slice of A into a private panel, and accumulates the tile in
 * private row arrays.
 *
 * <p>The kernel, {@link #multiplyRowPairs}, is shaped for HotSpot C2 (JDK 17), measured on this machine at 40-65
 * GFLOP/s per core when its inner loop is vectorised and 10-15 when not:
 * <ul>
 *   <li>every array in the loop over {@code j} is indexed by {@code j} alone (rows of one big array at offsets,
 *       or one array read at {@code j0 + j}, stay scalar), hence the row arrays; A is one flat array (its rows as
 *       separate arrays also stay scalar);</li>
 *   <li>two C rows times four depth steps per pass over j (three or four rows, or two passes over j per depth
 *       iteration, stay scalar), with the loop written {@code k < depth; k += 4};</li>
 *   <li>no branch that might first be taken late: when C2 deoptimises and recompiles a method holding the loop,
 *       the new code was at times scalar and stayed so (3-7x slower for every later product). So the caller pads
 *       instead of branching: odd tiles get a zero row of A, slices a multiple of four depth steps with zero
 *       columns of A and zero rows of B;</li>
 *   <li>the kernel must not be inlined into its caller: inlined, it was scalar from the start or after the
 *       caller's first recompilation. C2 does not inline hot methods above 325 bytecodes (FreqInlineSize), and
 *       the kernel's assertions (free when assertions are off) keep it above that.</li>
 * </ul>
 * Re-measure with ConvBackwardTiming (kernels tests) after any edit of the kernel.
 */
final class TiledGemm {
    /** Rows of C per task. */
    static final int ROW_TILE = 64;
    /** Columns of C per task. */
    static final int COL_TILE = 256;
    /** Depth steps per copied slice of B. */
    static final int DEPTH_SLICE = 256;

    /** A matrix view: element (i, j) is {@code data[offset + i * rowStride + j * colStride]}. */
    record Operand(float[] data, int offset, int rowStride, int colStride) {
        /** A row-major matrix with {@code columns} columns. */
        static Operand rowMajor(float[] data, int offset, int columns) {
            return new Operand(data, offset, columns, 1);
        }

        /** The transpose of a row-major matrix with {@code columns} columns. */
        static Operand transposed(float[] data, int offset, int columns) {
            return new Operand(data, offset, 1, columns);
        }
    }

    private TiledGemm() {
    }

    /**
     * For r in [0, rows), j in [0, width): {@code c[cOffset + r * width + j] (+)= sum over k in [0, depth) of
     * A(r, k) * B(k, j)}, in k order with fused multiply-adds; adds to C when {@code accumulate}, else overwrites.
     */
    static void multiply(ParallelLoop loop, Operand a, Operand b, float[] c, int cOffset, int rows, int depth,
                         int width, boolean accumulate) {
        Tiling tiling = Tiling.of(rows, width, loop.threads());
        int rowTiles = Tiling.count(rows, tiling.rowTile);
        int tasks = rowTiles * Tiling.count(width, tiling.colTile);
        long costPerTile = (long) tiling.rowTile * tiling.colTile * depth;
        loop.forRange(tasks, costPerTile, (from, to) -> {
            Workspace ws = new Workspace(tiling.rowTile, Math.min(depth, DEPTH_SLICE), tiling.colTile);
            for (int t = from; t < to; t++) {
                // consecutive tasks share a column tile, so a thread's chunk re-reads the same columns of B
                int r0 = (t % rowTiles) * tiling.rowTile;
                int j0 = (t / rowTiles) * tiling.colTile;
                int tileRows = Math.min(tiling.rowTile, rows - r0);
                int tileCols = Math.min(tiling.colTile, width - j0);
                multiplyTile(a, b, depth, r0, tileRows, j0, tileCols, ws);
                store(ws.tile, tileRows, tileCols, c, cOffset, width, r0, j0, accumulate);
            }
        });
    }

    /**
     * Tile sizes: at most {@link #ROW_TILE} x {@link #COL_TILE}, split evenly (576 columns give 3 x 192, not
     * 256 + 256 + 64), and halved while there are fewer than four tiles per thread, so that small products
     * still keep every thread busy.
     */
    private record Tiling(int rowTile, int colTile) {
        static Tiling of(int rows, int width, int threads) {
            int rowTile = evenSplit(rows, ROW_TILE);
            int colTile = evenSplit(width, COL_TILE);
            while ((long) count(rows, rowTile) * count(width, colTile) < 4L * threads) {
                // narrower tiles first: each row tile copies its own slices of B, each column tile only A's
                if (colTile >= 128) {
                    colTile = (colTile + 1) / 2;
                } else if (rowTile >= 16) {
                    rowTile = (rowTile + 1) / 2;
                } else if (colTile >= 32) {
                    colTile = (colTile + 1) / 2;
                } else {
                    break;
                }
            }
            return new Tiling(rowTile, colTile);
        }

        /** The tile size that cuts {@code n} into the fewest pieces of at most {@code max}, as equal as can be. */
        private static int evenSplit(int n, int max) {
            int pieces = (n + max - 1) / max;
            return (n + pieces - 1) / pieces;
        }

        static int count(int n, int tile) {
            return (n + tile - 1) / tile;
        }
    }

    /** Per-thread buffers: the C tile and the copied slice of B as row arrays, the slice of A as a flat panel. */
    private static final class Workspace {
        final float[][] tile;  // (rows rounded up to even, cols)
        final float[][] slice; // (depth rounded up to 4, cols)
        final float[] aPanel;  // (rows rounded up to even, depth rounded up to 4)

        Workspace(int rows, int depth, int cols) {
            int evenRows = (rows + 1) & ~1;
            int paddedDepth = (depth + 3) & ~3;
            tile = new float[evenRows][cols];
            slice = new float[paddedDepth][cols];
            aPanel = new float[evenRows * paddedDepth];
        }
    }

    private static void multiplyTile(Operand a, Operand b, int depth, int r0, int tileRows, int j0, int tileCols,
                                     Workspace ws) {
        int pairs = (tileRows + 1) / 2;
        for (int r = 0; r < 2 * pairs; r++) {
            Arrays.fill(ws.tile[r], 0, tileCols, 0f);
        }
        for (int k0 = 0; k0 < depth; k0 += DEPTH_SLICE) {
            int sliceDepth = Math.min(DEPTH_SLICE, depth - k0);
            int paddedDepth = (sliceDepth + 3) & ~3;
            copySlice(b, k0, sliceDepth, j0, tileCols, ws.slice);
            for (int k = sliceDepth; k < paddedDepth; k++) {
                Arrays.fill(ws.slice[k], 0, tileCols, 0f); // zero, not stale: 0 * a stale infinity would be NaN
            }
            copyPanel(a, r0, tileRows, k0, sliceDepth, paddedDepth, ws.aPanel);
            multiplyRowPairs(ws.aPanel, paddedDepth, pairs, ws.slice, ws.tile, tileCols);
        }
    }

    /** {@code slice[k][j] = B(k0 + k, j0 + j)}. */
    private static void copySlice(Operand b, int k0, int depth, int j0, int cols, float[][] slice) {
        if (b.colStride() == 1) {
            for (int k = 0; k < depth; k++) {
                System.arraycopy(b.data(), b.offset() + (k0 + k) * b.rowStride() + j0, slice[k], 0, cols);
            }
            return;
        }
        // transposed source: eight columns at a time, so each row of the slice gets eight neighbouring values per
        // visit and each source column is still read in order (one column at a time touches a new line per value)
        float[] data = b.data();
        int j = 0;
        for (; j + 8 <= cols; j += 8) {
            int base = b.offset() + (j0 + j) * b.colStride() + k0 * b.rowStride();
            int cs = b.colStride();
            for (int k = 0; k < depth; k++) {
                int at = base + k * b.rowStride();
                float[] row = slice[k];
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
            int base = b.offset() + (j0 + j) * b.colStride() + k0 * b.rowStride();
            for (int k = 0; k < depth; k++) {
                slice[k][j] = data[base + k * b.rowStride()];
            }
        }
    }

    /**
     * {@code panel[r * paddedDepth + k] = A(r0 + r, k0 + k)} for k < depth, zero for k in [depth, paddedDepth) and
     * for the row after the last when rows is odd; reads A along whichever axis is contiguous.
     */
    private static void copyPanel(Operand a, int r0, int rows, int k0, int depth, int paddedDepth, float[] panel) {
        float[] data = a.data();
        int base = a.offset() + r0 * a.rowStride() + k0 * a.colStride();
        if (a.colStride() == 1) {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(data, base + r * a.rowStride(), panel, r * paddedDepth, depth);
            }
        } else {
            // transposed (column-major) A: walk down each column; row by row would touch a new line per value
            for (int k = 0; k < depth; k++) {
                int column = base + k * a.colStride();
                for (int r = 0; r < rows; r++) {
                    panel[r * paddedDepth + k] = data[column + r * a.rowStride()];
                }
            }
        }
        for (int r = 0; r < rows; r++) {
            Arrays.fill(panel, r * paddedDepth + depth, (r + 1) * paddedDepth, 0f);
        }
        int evenRows = (rows + 1) & ~1;
        Arrays.fill(panel, rows * paddedDepth, evenRows * paddedDepth, 0f);
    }

    private static void store(float[][] tile, int tileRows, int tileCols, float[] c, int cOffset, int ldc, int r0,
                              int j0, boolean accumulate) {
        for (int r = 0; r < tileRows; r++) {
            int base = cOffset + (r0 + r) * ldc + j0;
            float[] row = tile[r];
            if (accumulate) {
                for (int j = 0; j < tileCols; j++) {
                    c[base + j] += row[j];
                }
            } else {
                System.arraycopy(row, 0, c, base, tileCols);
            }
        }
    }

    /**
     * {@code c[r][j] += sum over k < depth of a[r * depth + k] * b[k][j]} for r < 2 * pairs, j < width; depth is a
     * positive multiple of 4. See the class comment before changing anything here (the assertions included).
     */
    private static void multiplyRowPairs(float[] a, int depth, int pairs, float[][] b, float[][] c, int width) {
        assert depth > 0 && depth % 4 == 0 : "depth " + depth + " is not a positive multiple of 4";
        assert a.length >= 2 * pairs * depth : "A panel of " + a.length + " for " + pairs + " row pairs x " + depth;
        assert b.length >= depth && c.length >= 2 * pairs : "B rows " + b.length + ", C rows " + c.length;
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
                float[] b0 = b[k];
                float[] b1 = b[k + 1];
                float[] b2 = b[k + 2];
                float[] b3 = b[k + 3];
                for (int j = 0; j < width; j++) {
                    float x0 = b0[j];
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
