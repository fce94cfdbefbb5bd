package io.ucag.runtime.java;

import java.util.Arrays;

/**
 * The one matrix product of the Java device, behind conv2d (forward, input and weight gradients), linear and
 * matmul: {@code C (rows, width) (+)= A (rows, depth) * B (depth, width)}, blocked and packed as in BLIS (Goto and
 * van de Geijn, "Anatomy of high-performance matrix multiplication", TOMS 2008) and parallel over the device's
 * threads.
 *
 * <p>Cache blocking, named as in BLIS/CLBlast:
 * <ul>
 *   <li>{@link #MC} x {@link #NC}: one tile of C, one parallel task. Tiles are split evenly (576 columns give
 *       2 x 288, not 512 + 64) and shrunk while there are fewer than four per thread, so small products still
 *       keep every thread busy;</li>
 *   <li>{@link #KC}: the depth of one packed block. A task walks the depth in blocks of KC: it packs the block of
 *       B under its tile into KC row arrays of NC floats (256 KiB, in the core's L2 while every row block of the
 *       tile reuses it; the copy costs 1/MC of the multiply-adds), the block of A into a flat MC x KC panel, and
 *       runs the {@link GemmKernel} over them, accumulating into the tile's row arrays in L2.</li>
 * </ul>
 * The register block (MR x NR in BLIS) is the kernel's {@link GemmKernel#rowStep()} x
 * {@link GemmKernel#columnStep()}; tiles are padded to it, and the depth to a multiple of four, with zeros, so the
 * kernels never branch on a remainder. Every C entry is one chain of fused multiply-adds in k order starting from
 * {@link GemmOutput#load}, whatever the blocking and the kernel, so results do not depend on the thread count.
 */
final class PackedGemm {
    /** Rows of C per task (BLIS MC). */
    static final int MC = 96;
    /** Columns of C per task (BLIS NC). */
    static final int NC = 256;
    /** Depth of one packed block of A and B (BLIS KC). */
    static final int KC = 256;
    /** Products with fewer multiply-adds run on the calling thread: a hand-off to the pool costs more. */
    static final long SERIAL_MULTIPLY_ADDS = 1L << 17;

    private PackedGemm() {
    }

    /** {@code C (+)= A * B} with this JVM's kernel ({@link GemmKernels#preferred()}). */
    static void multiply(ParallelLoop loop, GemmMatrix a, GemmPanelSource b, GemmOutput c, int rows, int depth,
                         int width) {
        multiply(loop, GemmKernels.preferred(), a, b, c, rows, depth, width);
    }

    /**
     * For r < rows, j < width: {@code C(r, j) = load(r, j) + sum over k < depth of A(r, k) * B(k, j)}, in k order with
     * fused multiply-adds, written by {@link GemmOutput#store}.
     */
    static void multiply(ParallelLoop loop, GemmKernel kernel, GemmMatrix a, GemmPanelSource b, GemmOutput c,
                         int rows, int depth, int width) {
        if (rows == 0 || width == 0) {
            return;
        }
        boolean serial = (long) rows * width * depth < SERIAL_MULTIPLY_ADDS;
        Tiling tiling = Tiling.of(rows, width, serial ? 1 : loop.threads(), kernel);
        int rowTiles = Tiling.count(rows, tiling.rowTile);
        int tasks = rowTiles * Tiling.count(width, tiling.colTile);
        long costPerTile = (long) tiling.rowTile * tiling.colTile * Math.max(depth, 1);
        ParallelLoop.RangeBody body = (from, to) -> {
            Workspace ws = new Workspace(tiling, Math.min(Math.max(depth, 1), KC), kernel);
            for (int t = from; t < to; t++) {
                // consecutive tasks share a column tile, so a thread's chunk re-reads the same columns of B
                int r0 = (t % rowTiles) * tiling.rowTile;
                int j0 = (t / rowTiles) * tiling.colTile;
                int tileRows = Math.min(tiling.rowTile, rows - r0);
                int tileCols = Math.min(tiling.colTile, width - j0);
                c.load(r0, tileRows, j0, tileCols, ws.tile);
                multiplyTile(kernel, a, b, depth, r0, tileRows, j0, tileCols, ws);
                c.store(r0, tileRows, j0, tileCols, ws.tile);
            }
        };
        if (serial) {
            body.run(0, tasks);
        } else {
            loop.forRange(tasks, costPerTile, body);
        }
    }

    /** Tile sizes: at most {@link #MC} x {@link #NC}, split evenly, whole register blocks where possible. */
    private record Tiling(int rowTile, int colTile) {
        static Tiling of(int rows, int width, int threads, GemmKernel kernel) {
            int rowTile = evenSplit(rows, MC, kernel.rowStep());
            int colStep = 2 * kernel.columnStep(); // the vector kernel's widest register block
            int colTile = evenSplit(width, NC, colStep);
            while ((long) count(rows, rowTile) * count(width, colTile) < 4L * threads) {
                // narrower tiles first: each row tile packs its own blocks of B, each column tile only A's
                if (colTile >= Math.max(128, 2 * colStep)) {
                    colTile = roundUp((colTile + 1) / 2, colStep);
                } else if (rowTile >= Math.max(16, 2 * kernel.rowStep())) {
                    rowTile = roundUp((rowTile + 1) / 2, kernel.rowStep());
                } else if (colTile >= Math.max(32, 2 * colStep)) {
                    colTile = roundUp((colTile + 1) / 2, colStep);
                } else {
                    break;
                }
            }
            return new Tiling(rowTile, colTile);
        }

        /** The fewest pieces of at most {@code max} that cut {@code n}, as equal as can be, rounded up to a step. */
        private static int evenSplit(int n, int max, int step) {
            int pieces = (n + max - 1) / max;
            return Math.min(roundUp((n + pieces - 1) / pieces, step), Math.max(max, step));
        }

        static int count(int n, int tile) {
            return (n + tile - 1) / tile;
        }
    }

    static int roundUp(int n, int step) {
        return (n + step - 1) / step * step;
    }

    /** Per-thread buffers: the C tile and the packed block of B as row arrays, the block of A as a flat panel. */
    private static final class Workspace {
        final float[][] tile;   // (rowTile padded to rowStep, colTile padded to columnStep)
        final float[][] bRows;  // (KC padded to 4, colTile padded to columnStep)
        final float[] aPanel;   // (rowTile padded to rowStep) x (KC padded to 4)

        Workspace(Tiling tiling, int depthBlock, GemmKernel kernel) {
            int paddedRows = roundUp(tiling.rowTile, kernel.rowStep());
            int paddedCols = roundUp(tiling.colTile, kernel.columnStep());
            int paddedDepth = roundUp(depthBlock, 4);
            tile = new float[paddedRows][paddedCols];
            bRows = new float[paddedDepth][paddedCols];
            aPanel = new float[paddedRows * paddedDepth];
        }
    }

    private static void multiplyTile(GemmKernel kernel, GemmMatrix a, GemmPanelSource b, int depth, int r0,
                                     int tileRows, int j0, int tileCols, Workspace ws) {
        int paddedRows = roundUp(tileRows, kernel.rowStep());
        int paddedCols = roundUp(tileCols, kernel.columnStep());
        // padding is computed but never stored; zero it so stale values cannot turn into NaN or subnormals
        for (int r = 0; r < paddedRows; r++) {
            Arrays.fill(ws.tile[r], r < tileRows ? tileCols : 0, paddedCols, 0f);
        }
        for (int k0 = 0; k0 < depth; k0 += KC) {
            int blockDepth = Math.min(KC, depth - k0);
            int paddedDepth = roundUp(blockDepth, 4);
            b.packRows(k0, blockDepth, j0, tileCols, ws.bRows);
            for (int k = 0; k < paddedDepth; k++) {
                // zero, not stale: 0 * a stale infinity in the padding of A or B would be NaN
                Arrays.fill(ws.bRows[k], k < blockDepth ? tileCols : 0, paddedCols, 0f);
            }
            a.packPanel(r0, tileRows, paddedRows, k0, blockDepth, paddedDepth, ws.aPanel);
            kernel.multiply(ws.aPanel, paddedDepth, paddedRows, ws.bRows, ws.tile, paddedCols);
        }
    }
}
