package io.ucag.kernels.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.ucag.kernels.OpenClTestSupport;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.java.JavaDevice;
import io.ucag.runtime.ops.Conv2dParams;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * OpenCL conv2d and linear against a naive double-precision reference inside this test, on awkward shapes and
 * every tile size of {@link ConvKernelParams}; plus hand-computed cases and argument errors.
 */
class ClConvTest {
    private static final int[] CHANNELS = {1, 3, 7, 13, 64};
    private static final int[] SIZES = {1, 3, 7, 13, 29};
    private static final int[][] KERNELS = {{1, 1}, {3, 3}, {7, 7}, {3, 2}};
    private static final int[] PADDINGS = {0, 1, 3};
    /** Tile sizes exercised besides the device's tuned ones: every allowed TILE_OC and TILE_PX. */
    private static final List<ConvKernelParams> TILES = List.of(
            new ConvKernelParams(1, 4, 1, 1, 4, 1, 1), new ConvKernelParams(2, 8, 3, 2, 8, 3, 1),
            new ConvKernelParams(4, 16, 4, 4, 16, 100, 3), new ConvKernelParams(8, 8, 2, 5, 16, 5, 1),
            new ConvKernelParams(16, 16, 7, 1, 8, 2, 2), new ConvKernelParams(8, 16, 4, 4, 16, 8, 1));
    /** Multiply-adds above which a random case is shrunk, to keep the naive reference fast. */
    private static final long MAX_MACS = 3_000_000;

    @Property(tries = 120)
    void conv2dMatchesNaiveReference(@ForAll @IntRange(max = 4) int cIndex, @ForAll @IntRange(max = 4) int oIndex,
            @ForAll @IntRange(max = 4) int hIndex, @ForAll @IntRange(max = 4) int wIndex,
            @ForAll @IntRange(max = 3) int kIndex, @ForAll @IntRange(min = 1, max = 3) int batch,
            @ForAll @IntRange(min = 1, max = 2) int sh, @ForAll @IntRange(min = 1, max = 2) int sw,
            @ForAll @IntRange(max = 2) int phIndex, @ForAll @IntRange(max = 2) int pwIndex,
            @ForAll @IntRange(min = 1, max = 2) int dh, @ForAll @IntRange(min = 1, max = 2) int dw,
            @ForAll boolean withBias, @ForAll @IntRange(max = 6) int tilesIndex, @ForAll boolean tiledPath,
            @ForAll @IntRange(max = 5) int tiledIndex, @ForAll long seed) {
        int c = CHANNELS[cIndex];
        int o = CHANNELS[oIndex];
        int[] k = KERNELS[kIndex];
        Conv2dParams p = new Conv2dParams(sh, sw, PADDINGS[phIndex], PADDINGS[pwIndex], dh, dw);
        int h = SIZES[hIndex];
        int w = SIZES[wIndex];
        if (p.outH(h, k[0]) < 1 || p.outW(w, k[1]) < 1) {
            return; // kernel larger than the padded image: rejected, see badConvShapesAreRejected
        }
        while ((long) batch * o * c * k[0] * k[1] * p.outH(h, k[0]) * p.outW(w, k[1]) > MAX_MACS && o > 1) {
            o = (o + 1) / 2;
        }
        int outputs = o;
        TiledConvSetting.with(tiledPath, TiledConvSetting.TILES[tiledIndex], () -> checkConv(Shape.of(batch, c, h, w),
                Shape.of(outputs, c, k[0], k[1]), withBias, p, tiles(tilesIndex), seed));
    }

    /** Awkward geometries collected by hand, with and without bias, on every tile size. */
    /** conv2dFused: the epilogue (+ residual, ReLU) on every path of the store, against the naive reference. */
    @Property(tries = 80)
    void conv2dFusedMatchesNaiveReference(@ForAll @IntRange(max = 4) int cIndex,
            @ForAll @IntRange(max = 4) int oIndex, @ForAll @IntRange(max = 4) int hIndex,
            @ForAll @IntRange(max = 3) int kIndex, @ForAll @IntRange(min = 1, max = 3) int batch,
            @ForAll @IntRange(min = 1, max = 2) int stride, @ForAll @IntRange(max = 1) int padIndex,
            @ForAll boolean withBias, @ForAll boolean withResidual, @ForAll boolean relu,
            @ForAll @IntRange(max = 6) int tilesIndex, @ForAll boolean tiledPath,
            @ForAll @IntRange(max = 5) int tiledIndex, @ForAll long seed) {
        int[] k = KERNELS[kIndex];
        Conv2dParams p = new Conv2dParams(stride, stride, PADDINGS[padIndex], PADDINGS[padIndex], 1, 1);
        int h = SIZES[hIndex];
        int w = SIZES[(hIndex + 2) % SIZES.length];
        if (p.outH(h, k[0]) < 1 || p.outW(w, k[1]) < 1) {
            return;
        }
        Shape xs = Shape.of(batch, CHANNELS[cIndex], h, w);
        Shape ws = Shape.of(Math.min(CHANNELS[oIndex], 13), xs.dim(1), k[0], k[1]);
        ClDevice cl = OpenClTestSupport.device();
        Random rnd = new Random(seed);
        float[] x = OpenClTestSupport.random(rnd, xs);
        float[] wv = OpenClTestSupport.random(rnd, ws);
        float[] b = withBias ? OpenClTestSupport.random(rnd, Shape.of(ws.dim(0))) : null;
        Reference conv = naiveConv(xs, x, ws, wv, b, p);
        float[] r = withResidual ? OpenClTestSupport.random(rnd, conv.shape) : null;
        double[] sum = conv.sum.clone();
        double[] abs = conv.absSum.clone();
        for (int i = 0; i < sum.length; i++) {
            sum[i] += r == null ? 0 : r[i];
            abs[i] += r == null ? 0 : Math.abs(r[i]);
            sum[i] = relu ? Math.max(0, sum[i]) : sum[i];
        }
        try (TensorScope scope = TensorScope.open()) {
            Tensor residual = r == null ? null : cl.fromArray(conv.shape, r);
            Tensor bias = b == null ? null : cl.fromArray(Shape.of(b.length), b);
            ConvKernelParams tiles = tiles(tilesIndex);
            float[][] y = new float[1][];
            TiledConvSetting.with(tiledPath, TiledConvSetting.TILES[tiledIndex], () -> y[0] = (tiles == null
                    ? cl.conv2dFused(cl.fromArray(xs, x), cl.fromArray(ws, wv), bias, p, residual, relu)
                    : ClConv.conv2d(cl, cl.fromArray(xs, x), cl.fromArray(ws, wv), bias, p, residual, relu, tiles))
                    .toArray());
            new Reference(conv.shape, sum, abs).assertMatches("conv2dFused x " + xs + " w " + ws + " " + p
                    + " bias " + withBias + " residual " + withResidual + " relu " + relu + " tiles " + tiles
                    + " tiled path " + tiledPath + " " + TiledConvSetting.TILES[tiledIndex], y[0]);
        }
    }

    @Test
    void conv2dFusedRejectsAResidualOfAnotherShape() {
        ClDevice cl = OpenClTestSupport.device();
        try (TensorScope scope = TensorScope.open()) {
            Tensor x = cl.zeros(Shape.of(1, 2, 5, 5));
            Tensor w = cl.zeros(Shape.of(3, 2, 3, 3));
            Tensor r = cl.zeros(Shape.of(1, 3, 5, 5));
            assertMessage(() -> cl.conv2dFused(x, w, null, Conv2dParams.of(1, 0), r, true), "conv2dFused",
                    "residual (1,3,5,5) must have the output's shape (1,3,3,3)");
        }
    }

    @Test
    void conv2dListedShapesMatchNaiveReference() {
        int[][] cases = {
            // n, c, h, w, o, kh, kw, strideH, strideW, padH, padW, dilH, dilW
            {1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1},
            {1, 3, 7, 7, 13, 3, 3, 1, 1, 1, 1, 1, 1},     // 13 output channels: a partial channel tile
            {2, 13, 13, 13, 7, 3, 3, 2, 2, 1, 1, 1, 1},   // stride 2
            {3, 7, 9, 13, 17, 1, 1, 1, 1, 0, 0, 1, 1},    // 1x1, 117 pixels: read in place, last tile overlaps
            {2, 6, 14, 14, 9, 1, 1, 2, 2, 0, 0, 1, 1},    // 1x1 stride 2 (ResNet shortcut): one phase staged
            {1, 4, 12, 12, 5, 3, 3, 1, 1, 2, 2, 2, 2},    // dilation with padding
            {1, 4, 6, 17, 6, 2, 5, 3, 1, 0, 2, 1, 3},     // rectangular everything
            {2, 3, 5, 37, 33, 3, 3, 1, 1, 1, 1, 1, 1},    // 37-pixel rows; 33 channels
            {1, 3, 4, 4, 2, 5, 5, 1, 1, 2, 2, 1, 1},      // kernel larger than the image
            {1, 70, 5, 5, 40, 3, 3, 1, 1, 1, 1, 1, 1},    // depth 630
            {2, 4, 11, 40, 6, 2, 5, 3, 1, 0, 2, 1, 3},    // vertical stride, horizontal dilation
            {1, 2, 9, 9, 3, 3, 3, 2, 2, 0, 0, 3, 3},      // dilation 3 over stride 2: both phases per axis
        };
        for (ConvKernelParams tiles : TILES) {
            for (int[] s : cases) {
                Conv2dParams p = new Conv2dParams(s[7], s[8], s[9], s[10], s[11], s[12]);
                Shape xs = Shape.of(s[0], s[1], s[2], s[3]);
                Shape ws = Shape.of(s[4], s[1], s[5], s[6]);
                checkConv(xs, ws, true, p, tiles, s[4]);
                checkConv(xs, ws, false, p, tiles, s[4] + 1);
            }
        }
    }

    /** The shapes of the fast paths and their edges: direct 1x1 GEMM, tiles hanging over the pixel grid. */
    @Test
    void conv2dFastPathShapesMatchNaiveReference() {
        Conv2dParams same = Conv2dParams.of(1, 1);
        Conv2dParams pointwise = Conv2dParams.of(1, 0);
        for (ConvKernelParams tiles : TILES) {
            checkConv(Shape.of(2, 64, 14, 14), Shape.of(24, 64, 3, 3), true, same, tiles, 1);
            checkConv(Shape.of(1, 32, 7, 7), Shape.of(19, 32, 3, 3), false, same, tiles, 2);
            checkConv(Shape.of(2, 40, 9, 11), Shape.of(33, 40, 1, 1), true, pointwise, tiles, 3);
            checkConv(Shape.of(3, 5, 1, 3), Shape.of(6, 5, 1, 1), false, pointwise, tiles, 4); // 3 pixels: staged
            checkConv(Shape.of(2, 3, 4, 4), Shape.of(17, 3, 1, 1), true, pointwise, tiles, 5); // exactly 16 pixels
            checkConv(Shape.of(2, 3, 29, 29), Shape.of(8, 3, 7, 7), true, Conv2dParams.of(2, 3), tiles, 6);
            checkConv(Shape.of(1, 8, 13, 13), Shape.of(8, 8, 1, 1), true, Conv2dParams.of(2, 0), tiles, 7);
        }
    }

    /**
     * Planes that are not whole vectors (33x33 = 1089 floats) and channel counts that allow it take conv2d's aligned
     * stores: tiles of channels o, o + step, ... and pixel tiles shifted per plane. Every tile size, with the fused
     * epilogue (the residual is read at the shifted places too), 1x1 at stride 1 and 2.
     */
    @Test
    void conv2dAlignedStoresMatchNaiveReference() {
        int[][] cases = { // n, c, h, w, stride, expected channel step for TILE_PX 16
            {2, 5, 33, 33, 1, 16}, // 1089 = 1 mod 16
            {1, 3, 34, 33, 1, 8},  // 1122 = 2 mod 16
            {2, 4, 65, 65, 2, 16}, // 1x1 stride 2 onto 33x33, staged with cols == OW
            {2, 3, 21, 21, 1, 16}, // 441 = 9 mod 16: 27.6 tiles, from ALIGNED_MIN_TILES
            {2, 3, 11, 11, 1, 1},  // 121: 7.6 tiles, fewer than ALIGNED_MIN_TILES
        };
        ClDevice cl = OpenClTestSupport.device();
        for (ConvKernelParams tiles : TILES) {
            for (int[] s : cases) {
                Conv2dParams p = Conv2dParams.of(s[4], 0);
                Shape xs = Shape.of(s[0], s[1], s[2], s[3]);
                Shape ws = Shape.of(256, s[1], 1, 1);
                Random rnd = new Random(s[2] * 31L + s[4]);
                float[] x = OpenClTestSupport.random(rnd, xs);
                float[] w = OpenClTestSupport.random(rnd, ws);
                float[] b = OpenClTestSupport.random(rnd, Shape.of(256));
                Reference conv = naiveConv(xs, x, ws, w, b, p);
                if (tiles.tilePx() == 16) {
                    Shape ys = conv.shape;
                    assertEquals(s[5], ClConv.alignedChannelStep(ys, ys.dim(3), tiles), "step for " + ys);
                }
                float[] r = OpenClTestSupport.random(rnd, conv.shape);
                double[] sum = conv.sum.clone();
                double[] abs = conv.absSum.clone();
                for (int i = 0; i < sum.length; i++) {
                    sum[i] = Math.max(0, sum[i] + r[i]);
                    abs[i] += Math.abs(r[i]);
                }
                try (TensorScope scope = TensorScope.open()) {
                    Tensor xc = cl.fromArray(xs, x);
                    Tensor wc = cl.fromArray(ws, w);
                    Tensor bc = cl.fromArray(Shape.of(256), b);
                    String what = "x " + xs + " stride " + s[4] + " tiles " + tiles;
                    conv.assertMatches("conv2d " + what, ClConv.conv2d(cl, xc, wc, bc, p, tiles).toArray());
                    new Reference(conv.shape, sum, abs).assertMatches("conv2dFused " + what, ClConv.conv2d(cl, xc,
                            wc, bc, p, cl.fromArray(conv.shape, r), true, tiles).toArray());
                }
            }
        }
    }

    /** The Java backend as a second oracle, on the device's tuned tiles. */
    @Test
    void conv2dAndLinearMatchJavaDevice() {
        ClDevice cl = OpenClTestSupport.device();
        Random rnd = new Random(5);
        try (JavaDevice java = new JavaDevice(1); TensorScope scope = TensorScope.open()) {
            for (int trial = 0; trial < 16; trial++) {
                int[] k = KERNELS[rnd.nextInt(KERNELS.length)];
                Conv2dParams p = new Conv2dParams(1 + rnd.nextInt(2), 1 + rnd.nextInt(2), rnd.nextInt(3),
                        rnd.nextInt(3), 1 + rnd.nextInt(2), 1 + rnd.nextInt(2));
                Shape xs = Shape.of(1 + rnd.nextInt(3), CHANNELS[rnd.nextInt(4)], 9 + rnd.nextInt(12),
                        9 + rnd.nextInt(12));
                Shape ws = Shape.of(CHANNELS[rnd.nextInt(5)], xs.dim(1), k[0], k[1]);
                if (p.outH(xs.dim(2), k[0]) < 1 || p.outW(xs.dim(3), k[1]) < 1) {
                    continue;
                }
                float[] x = OpenClTestSupport.random(rnd, xs);
                float[] w = OpenClTestSupport.random(rnd, ws);
                float[] b = OpenClTestSupport.random(rnd, Shape.of(ws.dim(0)));
                Tensor expected = java.conv2d(java.fromArray(xs, x), java.fromArray(ws, w),
                        java.fromArray(Shape.of(b.length), b), p);
                Tensor actual = cl.conv2d(cl.fromArray(xs, x), cl.fromArray(ws, w), cl.fromArray(Shape.of(b.length), b),
                        p);
                assertEquals(expected.shape(), actual.shape());
                OpenClTestSupport.assertClose("conv2d " + xs + " " + ws + " " + p, expected.toArray(), actual.toArray(),
                        1e-4, 1e-5);
            }
            for (int n : new int[] {1, 5, 8, 19}) {
                Shape xs = Shape.of(n, 1 + rnd.nextInt(700));
                Shape ws = Shape.of(1 + rnd.nextInt(40), xs.dim(1));
                float[] x = OpenClTestSupport.random(rnd, xs);
                float[] w = OpenClTestSupport.random(rnd, ws);
                Tensor expected = java.linear(java.fromArray(xs, x), java.fromArray(ws, w), null);
                Tensor actual = cl.linear(cl.fromArray(xs, x), cl.fromArray(ws, w), null);
                OpenClTestSupport.assertClose("linear " + xs + " " + ws, expected.toArray(), actual.toArray(), 1e-4,
                        1e-5);
            }
        }
    }

    @Test
    void conv2dHandComputed() {
        ClDevice cl = OpenClTestSupport.device();
        try (TensorScope scope = TensorScope.open()) {
            // x = 1..9 on a 3x3 image, a 2x2 kernel [[1, 0], [0, -1]] with bias 0.5, padding 1, stride 2:
            // output (i, j) = x[2i-1][2j-1] - x[2i][2j] + 0.5, zeros outside the image
            Tensor x = cl.fromArray(Shape.of(1, 1, 3, 3), new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
            Tensor wt = cl.fromArray(Shape.of(1, 1, 2, 2), new float[] {1, 0, 0, -1});
            Tensor b = cl.fromArray(Shape.of(1), new float[] {0.5f});
            float[] y = cl.conv2d(x, wt, b, Conv2dParams.of(2, 1)).toArray();
            assertEquals(List.of(-0.5f, -2.5f, -6.5f, -3.5f), List.of(y[0], y[1], y[2], y[3]));
        }
    }

    @Property(tries = 60)
    void linearMatchesNaiveReference(@ForAll @IntRange(min = 1, max = 17) int n,
            @ForAll @IntRange(max = 6) int mIndex, @ForAll @IntRange(max = 7) int kIndex, @ForAll boolean withBias,
            @ForAll @IntRange(max = 6) int tilesIndex, @ForAll long seed) {
        int m = new int[] {1, 3, 7, 13, 16, 64, 100}[mIndex];
        int k = new int[] {1, 3, 7, 13, 16, 17, 300, 1000}[kIndex];
        checkLinear(n, m, k, withBias, tiles(tilesIndex), seed);
    }

    @Test
    void linearWideInputMatchesNaiveReference() {
        checkLinear(2, 37, 25088 / 4 + 3, true, null, 11); // a VGG-like wide K with a tail
    }

    @Test
    void badConvShapesAreRejected() {
        ClDevice cl = OpenClTestSupport.device();
        try (TensorScope scope = TensorScope.open()) {
            Tensor x = cl.zeros(Shape.of(1,3,5,5));
            Tensor channelsOff = cl.zeros(Shape.of(4, 2, 3, 3));
            Tensor tooLarge = cl.zeros(Shape.of(4, 3, 7, 7));
            Tensor wrongBias = cl.zeros(Shape.of(5));
            Tensor good = cl.zeros(Shape.of(4, 3, 3, 3));
            Conv2dParams p = Conv2dParams.of(1, 0);
            assertMessage(() -> cl.conv2d(x, channelsOff, null, p), "conv2d", "(1,3,5,5)");
            assertMessage(() -> cl.conv2d(x, tooLarge, null, p), "conv2d", "(4,3,7,7)");
            assertMessage(() -> cl.conv2d(x, good, wrongBias, p), "conv2d", "(5)");
            assertMessage(() -> cl.conv2d(cl.zeros(Shape.of(3, 5, 5)), good, null, p), "conv2d", "input");
            Tensor a = cl.zeros(Shape.of(2, 6));
            assertMessage(() -> cl.linear(a, cl.zeros(Shape.of(4, 5)), null), "linear", "(2,6)");
            assertMessage(() -> cl.linear(a, cl.zeros(Shape.of(4, 6)), wrongBias), "linear", "(5)");
        }
    }

    @Test
    void everyTapReadStaysInsideItsChannel() {
        Random rnd = new Random(3);
        for (int trial = 0; trial < 2000; trial++) {
            int tilePx = new int[] {4, 8, 16}[rnd.nextInt(3)];
            int kh = 1 + rnd.nextInt(7);
            int kw = 1 + rnd.nextInt(7);
            Conv2dParams p = new Conv2dParams(1 + rnd.nextInt(3), 1 + rnd.nextInt(3), rnd.nextInt(4),
                    rnd.nextInt(4), 1 + rnd.nextInt(3), 1 + rnd.nextInt(3));
            Shape x = Shape.of(1, 1, 1 + rnd.nextInt(30), 1 + rnd.nextInt(30));
            int oh = p.outH(x.dim(2), kh);
            int ow = p.outW(x.dim(3), kw);
            if (oh < 1 || ow < 1) {
                continue;
            }
            ConvStaging s = ConvStaging.of(x, Shape.of(1, 1, kh, kw), p, tilePx);
            int pixels = oh * s.cols();
            int lastTileStart = Math.max(0, pixels - tilePx); // as conv2d clamps it
            for (int tap : s.tapOffsets()) {
                assertTrue(tap >= 0 && lastTileStart + tilePx - 1 + tap < s.channelStride(),
                        () -> "tap " + tap + " of " + x + " " + kh + "x" + kw + " " + p + " leaves " + s);
            }
            assertTrue(s.cols() >= ow);
        }
    }

    @Test
    void kernelParamsAreValidatedAndParsed() {
        assertEquals(new ConvKernelParams(8, 16, 4, 2, 8, 9, 0), ConvKernelParams.parse(" LINEAR_VECTOR=8 TILE_OC=8"
                + " TILE_PX=16  LINEAR_TILE_M=4 LINEAR_TILE_N=2 GROUP_SIZE=0 LINEAR_GEMM_BATCH=9"));
        assertEquals("-DTILE_OC=2 -DTILE_PX=4 -DLINEAR_TILE_M=1 -DLINEAR_TILE_N=3 -DLINEAR_VECTOR=16",
                new ConvKernelParams(2, 4, 1, 3, 16, 8, 1).defines());
        assertMessage(() -> new ConvKernelParams(3, 16, 4, 4, 16, 8, 1), "TILE_OC", "3");
        assertMessage(() -> new ConvKernelParams(8, 12, 4, 4, 16, 8, 1), "TILE_PX", "12");
        assertMessage(() -> new ConvKernelParams(8, 16, 0, 4, 16, 8, 1), "LINEAR_TILE_M", "0");
        assertMessage(() -> new ConvKernelParams(8, 16, 4, 17, 16, 8, 1), "LINEAR_TILE_N", "17");
        assertMessage(() -> new ConvKernelParams(8, 16, 4, 4, 2, 8, 1), "LINEAR_VECTOR", "2");
        assertMessage(() -> new ConvKernelParams(8, 16, 4, 4, 16, 0, 1), "LINEAR_GEMM_BATCH", "0");
        assertMessage(() -> new ConvKernelParams(8, 16, 4, 4, 16, 8, -1), "GROUP_SIZE", "-1");
        assertMessage(() -> ConvKernelParams.parse("TILE_OC=8 TILE_PX=16"), "LINEAR_TILE_M", "missing");
        assertMessage(() -> ConvKernelParams.parse("TILE_OC 8"), "NAME=value", "TILE_OC");
    }

    @Test
    void kernelParamsComeFromTheTuningFileByDeviceName() {
        ConvKernelParams fallback = ConvKernelParams.forDevice(
                new ClDeviceInfo("p", "no such device", 0, 1, 1, 1, 1, 0));
        assertEquals(new ConvKernelParams(8, 8, 4, 2, 8, 8, 1), fallback);
        ConvKernelParams zen4 = ConvKernelParams.forDevice(
                new ClDeviceInfo("p", "pthread-skylake-avx512-AMD EPYC", 0, 1, 1, 1, 1, 0));
        assertEquals(16, zen4.tilePx());
        assertArrayEquals(new long[] {4, 1}, zen4.local(2));
        assertArrayEquals(new long[] {3, 1}, new ConvKernelParams(8, 8, 4, 2, 8, 8, 3).local(2));
        assertArrayEquals(new long[] {8, 5, 2}, new ConvKernelParams(8, 8, 4, 2, 8, 8, 4).global(5, 5, 2));
        assertEquals(null, new ConvKernelParams(8, 8, 4, 2, 8, 8, 0).local(3));
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    /** tilesIndex 0 is the device's tuned set (null), the others {@link #TILES}. */
    private static ConvKernelParams tiles(int tilesIndex) {
        return tilesIndex == 0 ? null : TILES.get(tilesIndex - 1);
    }

    /**
     * A strided 1x1 convolution keeps its staged (subsampled) input with x, for the next one on the same x (a
     * downsampling block's shortcut and first convolution): other weights, another stride and a padded convolution
     * on the same x must each still get their own results.
     */
    @Test
    void stridedPointwiseConvsOfOneInputShareItsStaging() {
        ClDevice cl = OpenClTestSupport.device();
        Random rnd = new Random(41);
        Shape xs = Shape.of(2, 6, 29, 29);
        float[] x = OpenClTestSupport.random(rnd, xs);
        Object[][] convs = { // weight shape, params
            {Shape.of(9, 6, 1, 1), Conv2dParams.of(2, 0)}, {Shape.of(5, 6, 1, 1), Conv2dParams.of(2, 0)},
            {Shape.of(7, 6, 1, 1), Conv2dParams.of(3, 0)}, {Shape.of(4, 6, 1, 1), Conv2dParams.of(2, 1)},
            {Shape.of(9, 6, 1, 1), Conv2dParams.of(2, 0)}};
        try (TensorScope scope = TensorScope.open()) {
            Tensor xc = cl.fromArray(xs, x);
            for (Object[] conv : convs) {
                Shape ws = (Shape) conv[0];
                Conv2dParams p = (Conv2dParams) conv[1];
                float[] w = OpenClTestSupport.random(rnd, ws);
                Tensor y = cl.conv2d(xc, cl.fromArray(ws, w), null, p);
                String what = "x " + xs + " w " + ws + " " + p;
                Reference expected = naiveConv(xs, x, ws, w, null, p);
                assertEquals(expected.shape, y.shape(), what);
                expected.assertMatches(what, y.toArray());
            }
        }
    }

    private static void checkConv(Shape xs, Shape ws, boolean withBias, Conv2dParams p, ConvKernelParams tiles,
                                  long seed) {
        ClDevice cl = OpenClTestSupport.device();
        Random rnd = new Random(seed);
        float[] x = OpenClTestSupport.random(rnd, xs);
        float[] w = OpenClTestSupport.random(rnd, ws);
        float[] b = withBias ? OpenClTestSupport.random(rnd, Shape.of(ws.dim(0))) : null;
        Reference expected = naiveConv(xs, x, ws, w, b, p);
        try (TensorScope scope = TensorScope.open()) {
            Tensor bias = b == null ? null : cl.fromArray(Shape.of(b.length), b);
            Tensor xc = cl.fromArray(xs, x);
            Tensor wc = cl.fromArray(ws, w);
            Tensor y = tiles == null ? cl.conv2d(xc, wc, bias, p) : ClConv.conv2d(cl, xc, wc, bias, p, tiles);
            String what = "conv2d x " + xs + " w " + ws + " bias " + withBias + " " + p + " tiles " + tiles
                    + " tiled path " + ClTiledConv.appliesTo(cl) + " " + System.getProperty(ClTiledConv.TILES_PROPERTY);
            assertEquals(expected.shape, y.shape(), what);
            expected.assertMatches(what, y.toArray());
        }
    }

    private static void checkLinear(int n, int m, int k, boolean withBias, ConvKernelParams tiles, long seed) {
        ClDevice cl = OpenClTestSupport.device();
        Random rnd = new Random(seed);
        float[] x = OpenClTestSupport.random(rnd, Shape.of(n, k));
        float[] w = OpenClTestSupport.random(rnd, Shape.of(m, k));
        float[] b = withBias ? OpenClTestSupport.random(rnd, Shape.of(m)) : null;
        double[] sum = new double[n * m];
        double[] abs = new double[n * m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double s = b == null ? 0 : b[j];
                double a = Math.abs(s);
                for (int t = 0; t < k; t++) {
                    double term = (double) x[i * k + t] * w[j * k + t];
                    s += term;
                    a += Math.abs(term);
                }
                sum[i * m + j] = s;
                abs[i * m + j] = a;
            }
        }
        try (TensorScope scope = TensorScope.open()) {
            Tensor bias = b == null ? null : cl.fromArray(Shape.of(m), b);
            Tensor xc = cl.fromArray(Shape.of(n, k), x);
            Tensor wc = cl.fromArray(Shape.of(m, k), w);
            Tensor y = tiles == null ? cl.linear(xc, wc, bias) : ClConv.linear(cl, xc, wc, bias, tiles);
            assertEquals(Shape.of(n, m), y.shape());
            new Reference(Shape.of(n, m), sum, abs).assertMatches("linear " + n + "x" + k + " * (" + m + "x" + k
                    + ")^T bias " + withBias + " tiles " + tiles, y.toArray());
        }
    }

    /** Exact sums in double, and the sum of |terms| that bounds float rounding where terms cancel. */
    private record Reference(Shape shape, double[] sum, double[] absSum) {
        void assertMatches(String what, float[] actual) {
            assertEquals(sum.length, actual.length, what);
            for (int i = 0; i < sum.length; i++) {
                double allowed = 1e-4 * Math.abs(sum[i]) + 1e-6 * absSum[i] + 1e-7;
                if (!(Math.abs(actual[i] - sum[i]) <= allowed)) {
                    fail(what + ": element " + i + " expected " + sum[i] + " got " + actual[i]);
                }
            }
        }
    }

    /** conv2d by definition, 7 nested loops in double. */
    private static Reference naiveConv(Shape xs, float[] x, Shape ws, float[] w, float[] b, Conv2dParams p) {
        int n = xs.dim(0);
        int c = xs.dim(1);
        int h = xs.dim(2);
        int wd = xs.dim(3);
        int o = ws.dim(0);
        int kh = ws.dim(2);
        int kw = ws.dim(3);
        int oh = p.outH(h, kh);
        int ow = p.outW(wd, kw);
        double[] sum = new double[n * o * oh * ow];
        double[] abs = new double[sum.length];
        int out = 0;
        for (int in = 0; in < n; in++) {
            for (int io = 0; io < o; io++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++, out++) {
                        double s = b == null ? 0 : b[io];
                        double a = Math.abs(s);
                        for (int ic = 0; ic < c; ic++) {
                            for (int ky = 0; ky < kh; ky++) {
                                int iy = oy * p.strideH() - p.padH() + ky * p.dilationH();
                                for (int kx = 0; kx < kw; kx++) {
                                    int ix = ox * p.strideW() - p.padW() + kx * p.dilationW();
                                    if (iy < 0 || iy >= h || ix < 0 || ix >= wd) {
                                        continue;
                                    }
                                    double term = (double) w[((io * c + ic) * kh + ky) * kw + kx]
                                            * x[((in * c + ic) * h + iy) * wd + ix];
                                    s += term;
                                    a += Math.abs(term);
                                }
                            }
                        }
                        sum[out] = s;
                        abs[out] = a;
                    }
                }
            }
        }
        return new Reference(Shape.of(n, o, oh, ow), sum, abs);
    }

    private static void assertMessage(Runnable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "message '" + e.getMessage() + "' lacks '" + f + "'");
        }
    }
}
