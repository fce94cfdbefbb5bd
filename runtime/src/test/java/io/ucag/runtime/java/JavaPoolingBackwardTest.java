package io.ucag.runtime.java;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.ops.Pool2dParams;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Pooling gradients: hand-computed cases checked against torch 1.13 autograd, finite differences of a naive
 * double-precision max pool, and the adjoint identity {@code <A x, y> = <x, A^T y>} for the linear poolings
 * (A both a naive double-precision pool and the device's own forward op).
 */
class JavaPoolingBackwardTest {
    private static final JavaDevice D = new JavaDevice(2);
    private static final float NAN = Float.NaN;
    private static final float INF = Float.POSITIVE_INFINITY;
    private TensorScope scope;

    @BeforeEach
    void openScope() {
        scope = TensorScope.open();
    }

    @AfterEach
    void closeScope() {
        scope.close();
    }

    @AfterAll
    static void closeDevice() {
        D.close();
    }

    private static Tensor t(Shape s, float... v) {
        return D.fromArray(s, v);
    }

    private static float[] maxBack(Shape xs, float[] x, Shape gs, float[] g, Pool2dParams p) {
        return D.maxPool2dBackward(t(gs, g), t(xs, x), p).toArray();
    }

    // ---- max pooling ------------------------------------------------------------------------------------------

    @Test
    void maxTiesGoToTheFirstMaximumAndOverlappingWindowsAdd() {
        // torch: x=[[1,5,5,2],[5,0,0,5]], k2 s1 -> indices [1,1,2]
        float[] dx = maxBack(Shape.of(1, 1, 2, 4), new float[] {1, 5, 5, 2, 5, 0, 0, 5}, Shape.of(1, 1, 1, 3),
                new float[] {10, 20, 30}, new Pool2dParams(2, 2, 1, 1, 0, 0, false));
        assertArrayEquals(new float[] {0, 30, 30, 0, 0, 0, 0, 0}, dx);
    }

    @Test
    void maxNanBeatsNumbersAndTheLastNanWins() {
        // torch: x=[[1,nan,3,nan],[2,5,5,0]], k=(2,4) -> index 3 (PyTorch replaces the maximum on every NaN)
        float[] dx = maxBack(Shape.of(1, 1, 2, 4), new float[] {1, NAN, 3, NAN, 2, 5, 5, 0}, Shape.of(1, 1, 1, 1),
                new float[] {7}, new Pool2dParams(2, 4, 2, 4, 0, 0, false));
        assertArrayEquals(new float[] {0, 0, 0, 7, 0, 0, 0, 0}, dx);
    }

    @Test
    void maxPaddingNeverReceivesGradient() {
        // torch: 3x3 input, k3 s1 p1, grad 1..9 -> (0,0) gets 1+2+4+5, (1,1) gets 3+6+7+8+9
        float[] x = {3, 1, 2, 1, 3, 0, 2, 0, 3};
        float[] dx = maxBack(Shape.of(1, 1, 3, 3), x, Shape.of(1, 1, 3, 3), new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9},
                Pool2dParams.of(3, 1, 1));
        assertArrayEquals(new float[] {12, 0, 0, 0, 33, 0, 0, 0, 0}, dx);
        // all -inf: every window picks its first input pixel, (0,0) here, never the -inf padding
        float[] dxInf = maxBack(Shape.of(1, 1, 2, 2), new float[] {-INF, -INF, -INF, -INF}, Shape.of(1, 1, 2, 2),
                new float[] {1, 2, 4, 8}, Pool2dParams.of(3, 1, 1));
        assertArrayEquals(new float[] {15, 0, 0, 0}, dxInf);
    }

    @Test
    void maxCeilModeWindowsAreClippedToTheInput() {
        // torch: 3x3, k2 s2 ceil -> 2x2 output; the last row/column windows hold one or two pixels
        float[] x = {3, 1, 2, 1, 3, 0, 2, 0, 3};
        float[] dx = maxBack(Shape.of(1, 1, 3, 3), x, Shape.of(1, 1, 2, 2), new float[] {1, 2, 4, 8},
                Pool2dParams.of(2, 2, 0).withCeilMode(true));
        assertArrayEquals(new float[] {1, 0, 2, 0, 0, 0, 4, 0, 8}, dx);
    }

    @Test
    void maxGradientMatchesFiniteDifferencesOfANaiveMaxPool() {
        Random rng = new Random(11);
        Pool2dParams[] params = {Pool2dParams.of(2, 2, 0), Pool2dParams.of(3, 1, 1),
            new Pool2dParams(3, 2, 2, 1, 1, 0, true), new Pool2dParams(1, 3, 1, 2, 0, 1, false)};
        int[][] shapes = {{1, 1, 5, 7}, {2, 3, 4, 4}, {1, 2, 7, 3}, {2, 1, 3, 6}};
        for (int c = 0; c < params.length; c++) {
            Pool2dParams p = params[c];
            Shape xs = Shape.of(shapes[c]);
            Shape ys = Shape.of(xs.dim(0), xs.dim(1), p.outH(xs.dim(2)), p.outW(xs.dim(3)));
            float[] x = distinctValues(rng, xs.numel()); // gaps of >= 0.01: h = 1e-3 never crosses a kink
            float[] w = uniform(rng, ys.numel());
            float[] dx = maxBack(xs, x, ys, w, p);
            // max pooling is positively homogeneous, so <dL/dx, x> = L (Euler), L from the device's forward op
            float[] y = D.maxPool2d(t(xs, x), p).toArray();
            assertEquals(dot(w, toDouble(y)), dot(dx, x), 1e-5, "Euler identity, case " + c);
            double h = 1e-3;
            for (int i = 0; i < x.length; i++) {
                double[] plus = toDouble(x);
                double[] minus = toDouble(x);
                plus[i] += h;
                minus[i] -= h;
                double fd = (dot(w, naiveMaxPool(plus, xs, p)) - dot(w, naiveMaxPool(minus, xs, p))) / (2 * h);
                assertEquals(fd, dx[i], 1e-5 * (1 + Math.abs(fd)), "case " + c + " element " + i);
            }
        }
    }

    // ---- average pooling --------------------------------------------------------------------------------------

    @Test
    void avgDivisorFollowsCountIncludePadAndCeilMode() {
        // torch: 4x4, k3 s2 p1 ceil -> 3x3; row windows [-1,2) [1,4) [3,5) hold 3,3,2 padded / 2,3,1 real pixels
        Pool2dParams p = Pool2dParams.of(3, 2, 1).withCeilMode(true);
        float[] g = new float[9];
        java.util.Arrays.fill(g, 36);
        float[] included = D.avgPool2dBackward(t(Shape.of(1, 1, 3, 3), g), Shape.of(1, 1, 4, 4), p, true).toArray();
        assertArrayEquals(new float[] {4, 8, 4, 10, 8, 16, 8, 20, 4, 8, 4, 10, 10, 20, 10, 25}, included);
        float[] excluded = D.avgPool2dBackward(t(Shape.of(1, 1, 3, 3), g), Shape.of(1, 1, 4, 4), p, false).toArray();
        assertArrayEquals(new float[] {9, 15, 6, 24, 15, 25, 10, 40, 6, 10, 4, 16, 24, 40, 16, 64}, excluded);
    }

    @Test
    void avgIsTheAdjointOfANaiveAveragePool() {
        Random rng = new Random(12);
        for (int c = 0; c < 40; c++) {
            int k = 1 + rng.nextInt(4);
            int kw = 1 + rng.nextInt(4);
            Pool2dParams p = new Pool2dParams(k, kw, 1 + rng.nextInt(3), 1 + rng.nextInt(3), rng.nextInt(k / 2 + 1),
                    rng.nextInt(kw / 2 + 1), rng.nextBoolean());
            Shape xs = Shape.of(1 + rng.nextInt(2), 1 + rng.nextInt(3), k + rng.nextInt(9), kw + rng.nextInt(9));
            boolean includePad = rng.nextBoolean();
            Shape ys = Shape.of(xs.dim(0), xs.dim(1), p.outH(xs.dim(2)), p.outW(xs.dim(3)));
            float[] x = uniform(rng, xs.numel());
            float[] y = uniform(rng, ys.numel());
            float[] aty = D.avgPool2dBackward(t(ys, y), xs, p, includePad).toArray();
            assertAdjoint(dot(y, naiveAvgPool(toDouble(x), xs, p, includePad)), dot(x, aty), p + " " + xs);
            float[] forward = D.avgPool2d(t(xs, x), p, includePad).toArray(); // the op autograd differentiates
            assertAdjoint(dot(y, forward), dot(x, aty), "device forward " + p + " " + xs);
        }
    }

    // ---- adaptive average pooling -----------------------------------------------------------------------------

    @Test
    void adaptiveOverlappingBinsAddUp() {
        // torch: 5x2 -> 3x3; row bins [0,2) [1,4) [3,5), column bins [0,1) [0,2) [1,2); gradient 12 everywhere
        float[] g = new float[9];
        java.util.Arrays.fill(g, 12);
        float[] dx = D.adaptiveAvgPool2dBackward(t(Shape.of(1, 1, 3, 3), g), Shape.of(1, 1, 5, 2)).toArray();
        assertArrayEquals(new float[] {9, 9, 15, 15, 6, 6, 15, 15, 9, 9}, dx);
    }

    @Test
    void adaptiveIsTheAdjointOfANaiveAdaptivePool() {
        Random rng = new Random(13);
        for (int c = 0; c < 40; c++) {
            Shape xs = Shape.of(1 + rng.nextInt(2), 1 + rng.nextInt(3), 1 + rng.nextInt(13), 1 + rng.nextInt(13));
            Shape ys = Shape.of(xs.dim(0), xs.dim(1), 1 + rng.nextInt(9), 1 + rng.nextInt(9));
            float[] x = uniform(rng, xs.numel());
            float[] y = uniform(rng, ys.numel());
            float[] aty = D.adaptiveAvgPool2dBackward(t(ys, y), xs).toArray();
            assertAdjoint(dot(y, naiveAdaptivePool(toDouble(x), xs, ys)), dot(x, aty), xs + " -> " + ys);
            float[] forward = D.adaptiveAvgPool2d(t(xs, x), ys.dim(2), ys.dim(3)).toArray();
            assertAdjoint(dot(y, forward), dot(x, aty), "device forward " + xs + " -> " + ys);
        }
    }

    @Test
    void adaptiveToTheInputSizeIsTheIdentity() {
        float[] g = uniform(new Random(14), 2 * 3 * 5 * 4);
        Shape s = Shape.of(2, 3, 5, 4);
        assertArrayEquals(g, D.adaptiveAvgPool2dBackward(t(s, g), s).toArray());
    }

    // ---- bad input --------------------------------------------------------------------------------------------

    @Test
    void wrongGradientShapesNameTheOpAndTheShapes() {
        Pool2dParams p = Pool2dParams.of(2, 2, 0);
        Tensor x = D.zeros(Shape.of(1, 2, 6, 6));
        Tensor wrong = D.zeros(Shape.of(1, 2, 4, 3));
        assertError("maxPool2dBackward:", "(1,2,4,3)", () -> D.maxPool2dBackward(wrong, x, p));
        assertError("avgPool2dBackward:", "(1,2,3,3)", () -> D.avgPool2dBackward(wrong, x.shape(), p, true));
        assertError("avgPool2dBackward:", "rank 4", () -> D.avgPool2dBackward(wrong, Shape.of(2, 6, 6), p, true));
        assertError("adaptiveAvgPool2dBackward:", "(1,3,6,6)",
                () -> D.adaptiveAvgPool2dBackward(wrong, Shape.of(1, 3, 6, 6)));
    }

    private static void assertError(String start, String mustContain, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(start) && e.getMessage().contains(mustContain), e.getMessage());
    }

    // ---- naive double-precision forwards (the oracles) --------------------------------------------------------

    private static double[] naiveMaxPool(double[] x, Shape xs, Pool2dParams p) {
        int oh = p.outH(xs.dim(2));
        int ow = p.outW(xs.dim(3));
        int h = xs.dim(2);
        int w = xs.dim(3);
        double[] y = new double[xs.dim(0) * xs.dim(1) * oh * ow];
        for (int pl = 0; pl < xs.dim(0) * xs.dim(1); pl++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    double m = Double.NEGATIVE_INFINITY;
                    for (int r = i * p.strideH() - p.padH(); r < i * p.strideH() - p.padH() + p.kernelH(); r++) {
                        for (int s = j * p.strideW() - p.padW(); s < j * p.strideW() - p.padW() + p.kernelW(); s++) {
                            if (r >= 0 && r < h && s >= 0 && s < w) {
                                m = Math.max(m, x[(pl * h + r) * w + s]);
                            }
                        }
                    }
                    y[(pl * oh + i) * ow + j] = m;
                }
            }
        }
        return y;
    }

    /** Sums the window's pixels; the divisor counts pixels (and padding) of the padded input the window covers. */
    private static double[] naiveAvgPool(double[] x, Shape xs, Pool2dParams p, boolean includePad) {
        int oh = p.outH(xs.dim(2));
        int ow = p.outW(xs.dim(3));
        int h = xs.dim(2);
        int w = xs.dim(3);
        double[] y = new double[xs.dim(0) * xs.dim(1) * oh * ow];
        for (int pl = 0; pl < xs.dim(0) * xs.dim(1); pl++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    double sum = 0;
                    int count = 0;
                    for (int r = i * p.strideH() - p.padH(); r < i * p.strideH() - p.padH() + p.kernelH(); r++) {
                        for (int s = j * p.strideW() - p.padW(); s < j * p.strideW() - p.padW() + p.kernelW(); s++) {
                            boolean inside = r >= 0 && r < h && s >= 0 && s < w;
                            boolean inPadded = r < h + p.padH() && s < w + p.padW();
                            sum += inside ? x[(pl * h + r) * w + s] : 0;
                            count += (includePad ? inPadded : inside) ? 1 : 0;
                        }
                    }
                    y[(pl * oh + i) * ow + j] = sum / count;
                }
            }
        }
        return y;
    }

    private static double[] naiveAdaptivePool(double[] x, Shape xs, Shape ys) {
        int h = xs.dim(2);
        int w = xs.dim(3);
        int oh = ys.dim(2);
        int ow = ys.dim(3);
        double[] y = new double[ys.numel()];
        for (int pl = 0; pl < xs.dim(0) * xs.dim(1); pl++) {
            for (int i = 0; i < oh; i++) {
                int r0 = (int) Math.floor((double) i * h / oh);
                int r1 = (int) Math.ceil((double) (i + 1) * h / oh);
                for (int j = 0; j < ow; j++) {
                    int s0 = (int) Math.floor((double) j * w / ow);
                    int s1 = (int) Math.ceil((double) (j + 1) * w / ow);
                    double sum = 0;
                    for (int r = r0; r < r1; r++) {
                        for (int s = s0; s < s1; s++) {
                            sum += x[(pl * h + r) * w + s];
                        }
                    }
                    y[(pl * oh + i) * ow + j] = sum / ((r1 - r0) * (s1 - s0));
                }
            }
        }
        return y;
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static void assertAdjoint(double ax, double aty, String what) {
        assertEquals(ax, aty, 1e-5 * Math.max(1, Math.abs(ax)), "<A x, y> vs <x, A^T y> for " + what);
    }

    /** A shuffle of 0, 0.01, 0.02, ... shifted to be centred at 0. */
    private static float[] distinctValues(Random rng, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (i - n / 2) * 0.01f;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            float tmp = v[i];
            v[i] = v[j];
            v[j] = tmp;
        }
        return v;
    }

    private static float[] uniform(Random rng, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = rng.nextFloat() * 2 - 1;
        }
        return v;
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    private static double dot(float[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }
}
