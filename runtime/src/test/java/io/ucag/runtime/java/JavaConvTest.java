package io.ucag.runtime.java;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.Conv2dParams;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class JavaConvTest {
    private static final JavaDevice ONE_THREAD = new JavaDevice(1);
    private static final JavaDevice THREE_THREADS = new JavaDevice(3);
    private static final float[] ONE_TO_NINE = {1, 2, 3, 4, 5, 6, 7, 8, 9};

    @AfterAll
    static void close() {
        ONE_THREAD.close();
        THREE_THREADS.close();
    }

    // ---- hand-computed cases on the 3x3 image 1..9 ----------------------------------------------------

    @Test
    void validConvWithBias() {
        float[] y = conv(ONE_TO_NINE, 3, 3, new float[] {1, 2, 3, 4}, 2, 2, new float[] {0.5f}, Conv2dParams.of(1, 0));
        // top-left window 1,2 / 4,5 -> 1*1 + 2*2 + 3*4 + 4*5 = 37
        assertArrayEquals(new float[] {37.5f, 47.5f, 67.5f, 77.5f}, y);
    }

    @Test
    void stride2Padding1SumsTheVisiblePartOfEachWindow() {
        float[] ones = {1, 1, 1, 1, 1, 1, 1, 1, 1};
        float[] y = conv(ONE_TO_NINE, 3, 3, ones, 3, 3, null, Conv2dParams.of(2, 1));
        // windows centred on the corners: 1+2+4+5, 2+3+5+6, 4+5+7+8, 5+6+8+9
        assertArrayEquals(new float[] {12, 16, 24, 28}, y);
    }

    @Test
    void dilation2TakesTheCorners() {
        float[] y = conv(ONE_TO_NINE, 3, 3, new float[] {1, 2, 3, 4}, 2, 2, null, Conv2dParams.of(1, 0, 2));
        assertArrayEquals(new float[] {1 * 1 + 2 * 3 + 3 * 7 + 4 * 9}, y);
    }

    @Test
    void dilation2Stride2Padding1SeesOnlyTheCentre() {
        // each of the 4 windows has exactly one tap on pixel (1,1) = 5, a different weight each time
        float[] y = conv(ONE_TO_NINE, 3, 3, new float[] {1, 2, 3, 4}, 2, 2, null, Conv2dParams.of(2, 1, 2));
        assertArrayEquals(new float[] {20, 15, 10, 5}, y);
    }

    @Test
    void unequalStridesAndPaddings() {
        // stride (1,2), padding (0,1) with a 1x2 kernel [1, 10]: output 3 rows x 2 cols
        float[] y = conv(ONE_TO_NINE, 3, 3, new float[] {1, 10}, 1, 2, null, new Conv2dParams(1, 2, 0, 1, 1, 1));
        // row 0: windows on columns (-1,0) and (1,2): 0 + 10*1, 2 + 10*3
        assertArrayEquals(new float[] {10, 32, 40, 65, 70, 98}, y);
    }

    @Test
    void pointwiseConvMixesChannelsPerPixel() {
        Tensor x = ONE_THREAD.fromArray(Shape.of(1, 2, 2, 2), new float[] {1, 2, 3, 4, 10, 20, 30, 40});
        Tensor w = ONE_THREAD.fromArray(Shape.of(2, 2, 1, 1), new float[] {1, 0.5f, -1, 2});
        Tensor b = ONE_THREAD.fromArray(Shape.of(2), new float[] {0, 1});
        float[] y = ONE_THREAD.conv2d(x, w, b, Conv2dParams.of(1, 0)).toArray();
        assertArrayEquals(new float[] {6, 12, 18, 24, 20, 39, 58, 77}, y);
    }

    @Test
    void identityKernelReturnsTheInput() {
        Random rnd = new Random(5);
        float[] x = random(rnd, 2 * 3 * 7 * 5);
        float[] w = new float[3 * 3 * 3 * 3];
        for (int c = 0; c < 3; c++) {
            w[((c * 3 + c) * 3 + 1) * 3 + 1] = 1; // centre tap of the own channel
        }
        for (JavaDevice d : new JavaDevice[] {ONE_THREAD, THREE_THREADS}) {
            float[] y = d.conv2d(d.fromArray(Shape.of(2, 3, 7, 5), x), d.fromArray(Shape.of(3, 3, 3, 3), w), null,
                    Conv2dParams.of(1, 1)).toArray();
            assertArrayEquals(x, y);
        }
    }

    // ---- random shapes against a double-precision 7-loop reference -------------------------------------

    @Test
    void matchesNaiveReferenceOnAwkwardShapes() {
        int[][] cases = {
            // n, c, h, w, o, kh, kw, strideH, strideW, padH, padW, dilH, dilW
            {1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1},
            {1, 3, 7, 7, 5, 3, 3, 1, 1, 1, 1, 1, 1},
            {2, 3, 13, 11, 7, 3, 3, 2, 2, 1, 1, 1, 1},
            {3, 7, 9, 13, 13, 1, 1, 1, 1, 0, 0, 1, 1},   // pointwise, tiles span images
            {2, 5, 10, 9, 3, 1, 1, 2, 2, 0, 0, 1, 1},    // 1x1 stride 2
            {1, 2, 12, 12, 4, 3, 3, 1, 1, 2, 2, 2, 2},   // dilation with padding
            {2, 3, 23, 21, 9, 7, 7, 2, 2, 3, 3, 1, 1},   // ResNet-stem-like 7x7 stride 2
            {1, 4, 6, 17, 6, 2, 5, 3, 1, 0, 2, 1, 3},    // rectangular everything
            {1, 70, 5, 5, 33, 3, 3, 1, 1, 1, 1, 1, 1},   // depth 630, odd channel count
            {2, 8, 40, 30, 17, 3, 3, 1, 1, 1, 1, 1, 1},  // 2400 columns: many tiles, ragged last tile
            {1, 3, 4, 4, 2, 5, 5, 1, 1, 2, 2, 1, 1},     // kernel larger than the image, padding makes it fit
        };
        Random rnd = new Random(42);
        for (int[] s : cases) {
            Conv2dParams p = new Conv2dParams(s[7], s[8], s[9], s[10], s[11], s[12]);
            Shape xs = Shape.of(s[0], s[1], s[2], s[3]);
            Shape ws = Shape.of(s[4], s[1], s[5], s[6]);
            float[] x = random(rnd, xs.numel());
            float[] w = random(rnd, ws.numel());
            float[] b = rnd.nextBoolean() ? random(rnd, s[4]) : null;
            Reference ref = naiveConv(x, xs, w, ws, b, p);
            for (JavaDevice d : new JavaDevice[] {ONE_THREAD, THREE_THREADS}) {
                Tensor y = d.conv2d(d.fromArray(xs, x), d.fromArray(ws, w), b == null ? null
                        : d.fromArray(Shape.of(s[4]), b), p);
                assertEquals(ref.shape, y.shape(), "shape for " + xs + " * " + ws + " " + p);
                assertClose(xs + " * " + ws + " " + p + " on " + d.name(), ref, y.toArray());
            }
        }
    }

    // ---- linear ---------------------------------------------------------------------------------------

    @Test
    void linearHandComputed() {
        Tensor x = ONE_THREAD.fromArray(Shape.of(2, 3), new float[] {1, 2, 3, 4, 5, 6});
        Tensor w = ONE_THREAD.fromArray(Shape.of(2, 3), new float[] {1, 0, -1, 0.5f, 0.5f, 0.5f});
        Tensor b = ONE_THREAD.fromArray(Shape.of(2), new float[] {1, -1});
        assertArrayEquals(new float[] {-1, 2, -1, 6.5f}, ONE_THREAD.linear(x, w, b).toArray());
        assertArrayEquals(new float[] {-2, 3, -2, 7.5f}, ONE_THREAD.linear(x, w, null).toArray());
    }

    @Test
    void linearMatchesNaiveReference() {
        int[][] cases = {{1, 1, 1}, {1, 7, 13}, {3, 2500, 70}, {17, 33, 1000}, {64, 130, 9}, {5, 4096, 300}};
        Random rnd = new Random(7);
        for (int[] s : cases) {
            int n = s[0];
            int k = s[1];
            int m = s[2];
            float[] x = random(rnd, n * k);
            float[] w = random(rnd, m * k);
            float[] b = rnd.nextBoolean() ? random(rnd, m) : null;
            Reference ref = naiveLinear(x, n, k, w, m, b);
            for (JavaDevice d : new JavaDevice[] {ONE_THREAD, THREE_THREADS}) {
                Tensor y = d.linear(d.fromArray(Shape.of(n, k), x), d.fromArray(Shape.of(m, k), w),
                        b == null ? null : d.fromArray(Shape.of(m), b));
                assertEquals(Shape.of(n, m), y.shape());
                assertClose("linear " + n + "x" + k + " * " + m + " on " + d.name(), ref, y.toArray());
            }
        }
    }

    // ---- bad input ------------------------------------------------------------------------------------

    @Test
    void badShapesNameTheOpAndTheShapes() {
        JavaDevice d = ONE_THREAD;
        Tensor x = d.zeros(Shape.of(1, 3, 8, 8));
        String m1 = assertThrows(IllegalArgumentException.class,
                () -> d.conv2d(x, d.zeros(Shape.of(4, 2, 3, 3)), null, Conv2dParams.of(1, 0))).getMessage();
        assertTrue(m1.startsWith("conv2d") && m1.contains("(1,3,8,8)") && m1.contains("(4,2,3,3)"), m1);
        String m2 = assertThrows(IllegalArgumentException.class,
                () -> d.conv2d(x, d.zeros(Shape.of(4, 3, 3, 3)), d.zeros(Shape.of(3)), Conv2dParams.of(1, 0)))
                .getMessage();
        assertTrue(m2.startsWith("conv2d") && m2.contains("bias (3)"), m2);
        String m3 = assertThrows(IllegalArgumentException.class,
                () -> d.conv2d(x, d.zeros(Shape.of(4, 3, 5, 5)), null, Conv2dParams.of(1, 0, 2))).getMessage();
        assertTrue(m3.startsWith("conv2d") && m3.contains("smaller"), m3);
        String m4 = assertThrows(IllegalArgumentException.class,
                () -> d.conv2d(d.zeros(Shape.of(3, 8, 8)), d.zeros(Shape.of(4, 3, 3, 3)), null,
                        Conv2dParams.of(1, 0))).getMessage();
        assertTrue(m4.startsWith("conv2d") && m4.contains("(3,8,8)") && m4.contains("rank 4"), m4);
        String m5 = assertThrows(IllegalArgumentException.class,
                () -> d.linear(d.zeros(Shape.of(2, 5)), d.zeros(Shape.of(3, 4)), null)).getMessage();
        assertTrue(m5.startsWith("linear") && m5.contains("(2,5)") && m5.contains("(3,4)"), m5);
    }

    // ---- helpers --------------------------------------------------------------------------------------

    /** Reference values and, per value, the sum of |terms| that bounds the float rounding error. */
    private record Reference(Shape shape, double[] values, double[] magnitude) {
    }

    private static float[] conv(float[] x, int h, int w, float[] k, int kh, int kw, float[] bias, Conv2dParams p) {
        JavaDevice d = ONE_THREAD;
        Tensor b = bias == null ? null : d.fromArray(Shape.of(bias.length), bias);
        return d.conv2d(d.fromArray(Shape.of(1, 1, h, w), x), d.fromArray(Shape.of(1, 1, kh, kw), k), b, p)
                .toArray();
    }

    private static Reference naiveConv(float[] x, Shape xs, float[] w, Shape ws, float[] b, Conv2dParams p) {
        int n = xs.dim(0);
        int c = xs.dim(1);
        int h = xs.dim(2);
        int wd = xs.dim(3);
        int o = ws.dim(0);
        int kh = ws.dim(2);
        int kw = ws.dim(3);
        int oh = (h + 2 * p.padH() - p.dilationH() * (kh - 1) - 1) / p.strideH() + 1;
        int ow = (wd + 2 * p.padW() - p.dilationW() * (kw - 1) - 1) / p.strideW() + 1;
        double[] y = new double[n * o * oh * ow];
        double[] mag = new double[y.length];
        for (int in = 0; in < n; in++) {
            for (int oc = 0; oc < o; oc++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        double sum = b == null ? 0 : b[oc];
                        double abs = Math.abs(sum);
                        for (int ic = 0; ic < c; ic++) {
                            for (int ky = 0; ky < kh; ky++) {
                                for (int kx = 0; kx < kw; kx++) {
                                    int iy = oy * p.strideH() - p.padH() + ky * p.dilationH();
                                    int ix = ox * p.strideW() - p.padW() + kx * p.dilationW();
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < wd) {
                                        double t = (double) x[((in * c + ic) * h + iy) * wd + ix]
                                                * w[((oc * c + ic) * kh + ky) * kw + kx];
                                        sum += t;
                                        abs += Math.abs(t);
                                    }
                                }
                            }
                        }
                        int i = ((in * o + oc) * oh + oy) * ow + ox;
                        y[i] = sum;
                        mag[i] = abs;
                    }
                }
            }
        }
        return new Reference(Shape.of(n, o, oh, ow), y, mag);
    }

    private static Reference naiveLinear(float[] x, int n, int k, float[] w, int m, float[] b) {
        double[] y = new double[n * m];
        double[] mag = new double[n * m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double sum = b == null ? 0 : b[j];
                double abs = Math.abs(sum);
                for (int q = 0; q < k; q++) {
                    double t = (double) x[i * k + q] * w[j * k + q];
                    sum += t;
                    abs += Math.abs(t);
                }
                y[i * m + j] = sum;
                mag[i * m + j] = abs;
            }
        }
        return new Reference(Shape.of(n, m), y, mag);
    }

    /** Float rounding grows with the sum of |terms|: allow 1e-6 of it (about 17 float ulps), plus 1e-7. */
    private static void assertClose(String what, Reference ref, float[] actual) {
        assertEquals(ref.values.length, actual.length, what + ": length");
        for (int i = 0; i < actual.length; i++) {
            double tol = 1e-6 * ref.magnitude[i] + 1e-7;
            if (!(Math.abs(actual[i] - ref.values[i]) <= tol)) {
                throw new AssertionError(what + ": element " + i + " is " + actual[i] + ", expected "
                        + ref.values[i] + " (tolerance " + tol + ")");
            }
        }
    }

    private static float[] random(Random rnd, int count) {
        float[] v = new float[count];
        for (int i = 0; i < count; i++) {
            v[i] = rnd.nextFloat() * 2 - 1;
        }
        return v;
    }
}
