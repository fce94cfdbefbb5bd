package io.ucag.runtime.java;

import java.util.Arrays;

/**
 * The matrix product behind matmul and the convolution gradients: {@code C = A * B} or {@code C += A * B}
 * for A (rows, depth), B (depth, width) given as {@link Operand}s (any strides, so transposes are free) and C
 * row-major (rows, width).
 *
 * <p>C is cut into tiles of {@link #ROW_TILE} x {@link #COL_TILE}, one parallel task each. A task walks the
 * depth in slices of {@link #DEPTH_SLICE}: it copies the slice of B under its tile into private row arrays
 * (256 x 256 floats = 256 KiB, which stays in L2 while all row pairs of the tile reuse it; the copy costs
 * 1/{@value #ROW_TILE} of the multiply-adds) and accumulates the tile in private row arrays too.
 *
 * <p>Why private row arrays: HotSpot C2 (JDK 17) auto-vectorises the innermost loop over {@code j} only when
 * every array in it is indexed by {@code j} alone; rows of one big array at offsets, or one array read at
 * {@code j0 + j}, stay scalar (measured on this machine: 13 GFLOP/s instead of 50-65 per core). The body (two C
 * rows times four depth steps, fused multiply-adds) is the forward convolution's {@code JavaGemm} kernel, and
 * its loop forms are just as fragile: the depth loop must read {@code k < quadEnd; k += 4} (with
 * {@code k + 3 < depth} it stays scalar). Re-measure after any edit of the two kernels.
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
                if (rowTile >= 16 && rowTile >= colTile / 8) {
                    rowTile = (rowTile + 1) / 2;
                } else if (colTile >= 64) {
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

    /** Per-thread buffers: the C tile and the copied slice of B, as separate row arrays. */
    private static final class Workspace {
        final float[][] tile;
        final float[][] slice;
        final float[] aPanel;

        Workspace(int rows, int depth, int cols) {
            tile = new float[rows][cols];
            slice = new float[depth][cols];
            aPanel = new float[rows * depth];
        }
    }

    private static void multiplyTile(Operand a, Operand b, int depth, int r0, int tileRows, int j0, int tileCols,
                                     Workspace ws) {
        for (int r = 0; r < tileRows; r++) {
            Arrays.fill(ws.tile[r], 0, tileCols, 0f);
        }
        for (int k0 = 0; k0 < depth; k0 += DEPTH_SLICE) {
            int sliceDepth = Math.min(DEPTH_SLICE, depth - k0);
            copySlice(b, k0, sliceDepth, j0, tileCols, ws.slice);
            for (int r = 0; r < tileRows; r++) {
                copyRow(a, r0 + r, k0, sliceDepth, ws.aPanel, r * sliceDepth);
            }
            int r = 0;
            for (; r + 1 < tileRows; r += 2) {
                twoRows(ws.aPanel, r * sliceDepth, (r + 1) * sliceDepth, ws.slice, sliceDepth, ws.tile[r],
                        ws.tile[r + 1], tileCols);
            }
            if (r < tileRows) {
                oneRow(ws.aPanel, r * sliceDepth, ws.slice, sliceDepth, ws.tile[r], tileCols);
            }
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
        // column-major source: read each source column (contiguous over k) once
        for (int j = 0; j < cols; j++) {
            int base = b.offset() + (j0 + j) * b.colStride() + k0 * b.rowStride();
            for (int k = 0; k < depth; k++) {
                slice[k][j] = b.data()[base + k * b.rowStride()];
            }
        }
    }

    /** {@code panel[at + k] = A(r, k0 + k)}. */
    private static void copyRow(Operand a, int r, int k0, int depth, float[] panel, int at) {
        int base = a.offset() + r * a.rowStride() + k0 * a.colStride();
        if (a.colStride() == 1) {
            System.arraycopy(a.data(), base, panel, at, depth);
            return;
        }
        for (int k = 0; k < depth; k++) {
            panel[at + k] = a.data()[base + k * a.colStride()];
        }
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
     * {@code c0[j] += sum_k a[a0 + k] * b[k][j]} and likewise c1 from a1, for j in [0, width). A is one flat
     * array on purpose: with the two rows of A as separate arrays C2 leaves the j loop scalar.
     */
    private static void twoRows(float[] a, int a0, int a1, float[][] b, int depth, float[] c0, float[] c1,
                                int width) {
        int quadEnd = depth & ~3;
        int k = 0;
        for (; k < quadEnd; k += 4) {
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
        for (; k < depth; k++) {
            float w0 = a[a0 + k];
            float w1 = a[a1 + k];
            float[] bk = b[k];
            for (int j = 0; j < width; j++) {
                float x = bk[j];
                c0[j] = Math.fma(w0, x, c0[j]);
                c1[j] = Math.fma(w1, x, c1[j]);
            }
        }
    }

    private static void oneRow(float[] a, int a0, float[][] b, int depth, float[] c0, int width) {
        int quadEnd = depth & ~3;
        int k = 0;
        for (; k < quadEnd; k += 4) {
            float w0 = a[a0 + k];
            float w1 = a[a0 + k + 1];
            float w2 = a[a0 + k + 2];
            float w3 = a[a0 + k + 3];
            float[] b0 = b[k];
            float[] b1 = b[k + 1];
            float[] b2 = b[k + 2];
            float[] b3 = b[k + 3];
            for (int j = 0; j < width; j++) {
                c0[j] = Math.fma(w3, b3[j], Math.fma(w2, b2[j], Math.fma(w1, b1[j], Math.fma(w0, b0[j], c0[j]))));
            }
        }
        for (; k < depth; k++) {
            float w = a[a0 + k];
            float[] bk = b[k];
            for (int j = 0; j < width; j++) {
                c0[j] = Math.fma(w, bk[j], c0[j]);
            }
        }
    }
}
