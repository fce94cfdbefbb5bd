package io.ucag.runtime.java;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one matrix product of the Java device, behind conv2d (forward, input and weight gradients), linear and
 * matmul: {@code C (rows, width) (+)= A (rows, depth) * B (depth, width)}, blocked and packed as in BLIS (Goto and
 * van de Geijn, "Anatomy of high-performance matrix multiplication", TOMS 2008) and parallel over the device's
 * threads.
 *
 * <p>Cache blocking, named as in BLIS/CLBlast:
 * <ul>
 *   <li>{@link #MC} x {@link #NC}: one tile of C, one task. Tiles are split evenly (576 columns give 3 x 192, not
 *       256 + 256 + 64) and shrunk while there are fewer than four per thread, so small products still keep every
 *       thread busy. One worker per thread pulls tasks in column-tile order;</li>
 *   <li>{@link #KC}: the depth of one packed block. A task walks the depth in blocks of KC: the block of B under
 *       its tile as KC row arrays of NC floats (256 KiB, in the core's L2 while every register block of the tile
 *       reuses it), the block of A as a flat MC x KC panel, and the {@link GemmKernel} accumulates into the
 *       tile's row arrays. B is packed per task (a copy of 1/MC of the multiply-adds), or, when several row
 *       tiles share it, once per worker and column tile over the whole depth (at most
 *       {@link #WHOLE_DEPTH_FLOATS}); A is packed per task and block (1/NC).</li>
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
    /**
     * The most floats of B a worker keeps packed over the whole depth (4 MiB, enough for 3x3x512 by 224 columns):
     * with several row tiles, B is then packed once per worker and column tile instead of once per task, which for
     * an im2col B with few columns (late ResNet layers) cost as much as the product. Larger, it raised the peak
     * resident memory of UCAG runs by the garbage of one such buffer per worker and call.
     */
    static final int WHOLE_DEPTH_FLOATS = 1 << 20;

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
        // B packed over the whole depth, once per worker and column tile, when several row tiles reuse it
        boolean wholeDepth = rowTiles > 1 && (long) roundUp(depth, 4) * tiling.colTile <= WHOLE_DEPTH_FLOATS;
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            Workspace ws = new Workspace(tiling, wholeDepth ? depth : Math.min(depth, KC), kernel);
            int packedColumnTile = -1;
            // tasks in column-tile order, row tile fastest, so a worker's consecutive tasks share a column tile
            for (int t = next.getAndIncrement(); t < tasks; t = next.getAndIncrement()) {
                int r0 = (t % rowTiles) * tiling.rowTile;
                int j0 = (t / rowTiles) * tiling.colTile;
                int tileRows = Math.min(tiling.rowTile, rows - r0);
                int tileCols = Math.min(tiling.colTile, width - j0);
                c.load(r0, tileRows, j0, tileCols, ws.tile);
                if (wholeDepth && packedColumnTile != t / rowTiles) {
                    packB(b, 0, depth, j0, tileCols, roundUp(tileCols, kernel.columnStep()), ws.bRows);
                    packedColumnTile = t / rowTiles;
                }
                multiplyTile(kernel, a, b, wholeDepth, depth, r0, tileRows, j0, tileCols, ws);
                c.store(r0, tileRows, j0, tileCols, ws.tile);
            }
        };
        int workers = serial ? 1 : Math.min(loop.threads(), tasks);
        if (workers == 1) {
            worker.run();
        } else {
            // one long-lived worker per thread pulling tasks: each packs its panels once per call, and a thread
            // slowed down by other processes simply takes fewer tasks
            loop.forRange(workers, Long.MAX_VALUE / workers, (from, to) -> {
                for (int w = from; w < to; w++) {
                    worker.run();
                }
            });
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
        final float[][] bRows;  // (KC or the whole depth, padded to 4, colTile padded to columnStep)
        final float[] aPanel;   // (rowTile padded to rowStep) x (KC padded to 4)

        Workspace(Tiling tiling, int bDepth, GemmKernel kernel) {
            int paddedRows = roundUp(tiling.rowTile, kernel.rowStep());
            int paddedCols = roundUp(tiling.colTile, kernel.columnStep());
            tile = new float[paddedRows][paddedCols];
            bRows = new float[roundUp(Math.max(bDepth, 1), 4)][paddedCols];
            aPanel = new float[paddedRows * roundUp(Math.max(Math.min(bDepth, KC), 1), 4)];
        }
    }

    private static void multiplyTile(GemmKernel kernel, GemmMatrix a, GemmPanelSource b, boolean bPacked,
                                     int depth, int r0, int tileRows, int j0, int tileCols, Workspace ws) {
        int paddedRows = roundUp(tileRows, kernel.rowStep());
        int paddedCols = roundUp(tileCols, kernel.columnStep());
        // padding is computed but never stored; zero it so stale values cannot turn into NaN or subnormals
        for (int r = 0; r < paddedRows; r++) {
            Arrays.fill(ws.tile[r], r < tileRows ? tileCols : 0, paddedCols, 0f);
        }
        for (int k0 = 0; k0 < depth; k0 += KC) {
            int blockDepth = Math.min(KC, depth - k0);
            int paddedDepth = roundUp(blockDepth, 4);
            int bRow0 = bPacked ? k0 : 0;
            if (!bPacked) {
                packB(b, k0, blockDepth, j0, tileCols, paddedCols, ws.bRows);
            }
            a.packPanel(r0, tileRows, paddedRows, k0, blockDepth, paddedDepth, ws.aPanel);
            kernel.multiply(ws.aPanel, paddedDepth, paddedRows, ws.bRows, bRow0, ws.tile, paddedCols);
        }
    }

    /**
     * {@code rows[k][j] = B(k0 + k, j0 + j)} for k < depth, j < cols, and zero in the padding up to
     * {@code paddedCols} and to the next multiple of four rows.
     */
    private static void packB(GemmPanelSource b, int k0, int depth, int j0, int cols, int paddedCols,
                              float[][] rows) {
        b.packRows(k0, depth, j0, cols, rows);
        for (int k = 0; k < roundUp(depth, 4); k++) {
            // zero, not stale: 0 * a stale infinity in the padding of A or B would be NaN
            Arrays.fill(rows[k], k < depth ? cols : 0, paddedCols, 0f);
        }
    }
}
