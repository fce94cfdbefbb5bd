package io.ucag.runtime.java;

import io.ucag.runtime.OpShapes;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.Conv2dParams;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * conv2d as a cache-blocked matrix product on {@link JavaGemm} (linear: {@link JavaLinear}).
 *
 * <p>conv2d computes {@code Y (O, N*Ho*Wo) = W (O, C*kh*kw) * X_col} (see {@link ConvGeometry}) one column tile
 * at a time: a worker packs the tile's im2col panel ({@link JavaIm2col}; for 1x1 stride-1 convs a plain copy of
 * the input rows), multiplies a block of output channels into accumulator rows that start at the bias, and
 * copies them to the output. Tiles span batch items, so small feature maps still give long vector loops.
 *
 * <p>Work items (column tile x output channel block) are pulled by one task per thread; each task allocates its
 * panel and accumulators once per call.
 */
final class JavaConv {
    /** Floats in one packed panel (depth x tile columns): a core's 1 MiB L2; measured better than 256 KiB. */
    static final int PANEL_FLOATS = 256 * 1024;
    /** Bounds on the columns of one tile: shorter vector loops lose to their scalar prologue and tail. */
    private static final int MIN_TILE = 128;
    private static final int MAX_TILE = 1024;
    /** The fewest output channels (linear: input rows) per work item when splitting them for parallelism. */
    static final int MIN_ROW_BLOCK = 16;

    private JavaConv() {
    }

    /** {@code F.linear}; see {@link JavaLinear}. */
    static Tensor linear(JavaDevice d, Tensor x, Tensor weight, Tensor bias) {
        return JavaLinear.linear(d, x, weight, bias);
    }

    static Tensor conv2d(JavaDevice d, Tensor x, Tensor weight, Tensor bias, Conv2dParams p) {
        Shape ys = OpShapes.conv2d(x, weight, bias, p);
        ConvGeometry g = ConvGeometry.of(x.shape(), weight.shape(), ys, p);
        Tensor y = d.allocate(ys);
        float[] in = d.data(x);
        float[] w = d.data(weight);
        float[] b = bias == null ? null : d.data(bias);
        float[] out = d.data(y);
        int depth = g.depth();
        int outChannels = g.outChannels();
        int width = tileWidth(PANEL_FLOATS / depth, g.columns());
        int tiles = ceilDiv(g.columns(), width);
        int threads = d.loop().threads();
        int channelBlock = rowBlock(outChannels, tiles, threads);
        int channelBlocks = ceilDiv(outChannels, channelBlock);
        int items = tiles * channelBlocks;
        AtomicInteger next = new AtomicInteger();
        runWorkers(d, items, g.multiplyAdds(), () -> {
            float[][] panel = new float[depth][width];
            float[][] acc = new float[channelBlock][width];
            int packedTile = -1;
            for (int item = next.getAndIncrement(); item < items; item = next.getAndIncrement()) {
                int tile = item / channelBlocks;
                int o0 = (item % channelBlocks) * channelBlock;
                int rows = Math.min(channelBlock, outChannels - o0);
                int q0 = tile * width;
                int cols = Math.min(width, g.columns() - q0);
                if (tile != packedTile) {
                    JavaIm2col.pack(in, g, q0, cols, panel);
                    packedTile = tile;
                }
                for (int r = 0; r < rows; r++) {
                    Arrays.fill(acc[r], 0, cols, b == null ? 0f : b[o0 + r]);
                }
                JavaGemm.multiplyAdd(w, o0 * depth, depth, rows, panel, depth, acc, 0, cols);
                storeColumns(acc, rows, g, o0, q0, cols, out);
            }
        });
        return y;
    }

    /** Accumulator row r, columns [0, cols), is output channel o0 + r at columns [q0, q0 + cols). */
    private static void storeColumns(float[][] acc, int rows, ConvGeometry g, int o0, int q0, int cols,
                                     float[] out) {
        int pixels = g.pixels();
        for (int j = 0; j < cols; ) {
            int n = (q0 + j) / pixels;
            int p = (q0 + j) % pixels;
            int run = Math.min(cols - j, pixels - p);
            for (int r = 0; r < rows; r++) {
                System.arraycopy(acc[r], j, out, (n * g.outChannels() + o0 + r) * pixels + p, run);
            }
            j += run;
        }
    }

    /** Starts one task per thread (fewer for few items); each runs {@code worker}, which pulls items. */
    static void runWorkers(JavaDevice d, int items, long multiplyAdds, Runnable worker) {
        int tasks = Math.min(d.loop().threads(), items);
        d.loop().forRange(tasks, multiplyAdds / Math.max(1, tasks), (from, to) -> {
            for (int t = from; t < to; t++) {
                worker.run();
            }
        });
    }

    /** Tile width near {@code preferred} (a multiple of 16 within the tile bounds), balanced over columns. */
    static int tileWidth(int preferred, int columns) {
        int width = Math.max(MIN_TILE, Math.min(MAX_TILE, preferred / 16 * 16));
        int tiles = ceilDiv(columns, width);
        return Math.min(columns, ceilDiv(ceilDiv(columns, tiles), 16) * 16);
    }

    /**
     * Rows (output channels, or linear's input rows) per work item: all of them when the column tiles
     * already keep the threads busy, otherwise an even split into blocks of at least {@link #MIN_ROW_BLOCK}.
     */
    static int rowBlock(int rows, int tiles, int threads) {
        int wanted = 4 * threads;
        if (tiles >= wanted || threads == 1) {
            return rows;
        }
        int blocks = Math.max(1, Math.min(ceilDiv(wanted, tiles), rows / MIN_ROW_BLOCK));
        return ceilDiv(ceilDiv(rows, blocks), 4) * 4; // JavaGemm works on four rows at a time
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
