package io.ucag.runtime.java;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * relu, clamp, softmax and max-reduce gradients: hand-computed cases (ties and NaN as torch 1.13 autograd gives
 * them) and central finite differences of {@code L = sum(w * f(x))} with f computed in double.
 */
class JavaPointwiseBackwardTest {
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

    private static Tensor v(float... v) {
        return D.fromArray(Shape.of(v.length), v);
    }

    // ---- relu and clamp ---------------------------------------------------------------------------------------

    @Test
    void reluPassesTheGradientWhereTheOutputIsNotAtMostZero() {
        // torch threshold_backward: zero where output <= 0; a NaN output lets the gradient through
        float[] dx = D.reluBackward(v(1, 2, 3, 4, 5), v(NAN, 0, -0f, 2, 0.5f)).toArray();
        assertArrayEquals(new float[] {1, 0, 0, 4, 5}, dx);
    }

    @Test
    void clampBoundsAreInclusiveAndNanGetsNoGradient() {
        // torch: clamp(x, 0, 1) backward with g = 1..7
        Tensor g = v(1, 2, 3, 4, 5, 6, 7);
        float[] dx = D.clampBackward(g, v(NAN, -1, 0, 0.5f, 1, 2, -INF), 0, 1).toArray();
        assertArrayEquals(new float[] {0, 0, 3, 4, 5, 0, 0}, dx);
        float[] oneSided = D.clampBackward(g, v(NAN, -1, 0, 0.5f, 1, 2, -INF), -INF, 1).toArray();
        assertArrayEquals(new float[] {0, 2, 3, 4, 5, 0, 7}, oneSided);
    }

    // ---- softmax ----------------------------------------------------------------------------------------------

    @Test
    void softmaxBackwardAlongAStridedAxis() {
        // torch _softmax_backward_data(g, y, dim=0): y * (g - sum(g * y, 0))
        Shape s = Shape.of(2, 3);
        float[] dx = D.softmaxBackward(t(s, 1, 2, 8, 3, -2, 0), t(s, 0.25f, 0.5f, 0.125f, 0.75f, 0.5f, 0.875f), 0)
                .toArray();
        assertArrayEquals(new float[] {-0.375f, 1, 0.875f, 0.375f, -1, -0.875f}, dx);
    }

    @Test
    void softmaxGradientMatchesFiniteDifferences() {
        Random rng = new Random(21);
        int[][] shapes = {{7}, {3, 5}, {2, 3, 4}, {2, 1, 3, 5}};
        for (int[] dims : shapes) {
            Shape s = Shape.of(dims);
            for (int axis = -s.rank(); axis < s.rank(); axis++) {
                float[] x = uniform(rng, s.numel(), 3);
                float[] w = uniform(rng, s.numel(), 1);
                float[] y = toFloat(naiveSoftmax(toDouble(x), s, axis));
                float[] dx = D.softmaxBackward(t(s, w), t(s, y), axis).toArray();
                int a = axis;
                assertFiniteDifferences(x, dx, xd -> dot(w, naiveSoftmax(xd, s, a)), 1e-5, s + " axis " + axis);
            }
        }
    }

    @Test
    void softmaxGradientSumsToZeroAlongTheAxis() {
        // softmax outputs sum to one, so no direction along the axis can change them: sum(dx) = 0 per row
        Random rng = new Random(22);
        Shape s = Shape.of(4, 9);
        float[] y = toFloat(naiveSoftmax(toDouble(uniform(rng, s.numel(), 2)), s, 1));
        float[] dx = D.softmaxBackward(t(s, uniform(rng, s.numel(), 1)), t(s, y), -1).toArray();
        for (int r = 0; r < 4; r++) {
            double sum = 0;
            for (int j = 0; j < 9; j++) {
                sum += dx[r * 9 + j];
            }
            assertEquals(0, sum, 1e-6, "row " + r);
        }
    }

    // ---- max reduction ----------------------------------------------------------------------------------------

    @Test
    void maxReduceSplitsTheGradientBetweenTiesAndANanMaximumPoisonsItsGroup() {
        // torch: amax(x, 1) for x = [[1,3,3],[nan,1,2],[2,2,2]], g = [6,1,9]
        Shape s = Shape.of(3, 3);
        Tensor x = t(s, 1, 3, 3, NAN, 1, 2, 2, 2, 2);
        Tensor y = t(Shape.of(3, 1), 3, NAN, 2);
        float[] dx = D.maxReduceBackward(t(Shape.of(3, 1), 6, 1, 9), x, y, new int[] {-1}).toArray();
        assertArrayEquals(new float[] {0, 3, 3, NAN, NAN, NAN, 3, 3, 3}, dx);
    }

    @Test
    void maxReduceOverNonAdjacentAxes() {
        // torch: amax over (0,2) of a (2,3,2) tensor; group 0 = {1,5,5,0} has two maxima
        Tensor x = t(Shape.of(2, 3, 2), 1, 5, 5, 2, 0, 1, 5, 0, 3, 7, 7, -1);
        Tensor y = t(Shape.of(1, 3, 1), 5, 7, 7);
        float[] dx = D.maxReduceBackward(t(Shape.of(1, 3, 1), 6, 10, 4), x, y, new int[] {2, 0}).toArray();
        assertArrayEquals(new float[] {0, 3, 0, 0, 0, 0, 3, 0, 0, 10, 4, 0}, dx);
        // a full reduction: one group
        float[] all = D.maxReduceBackward(t(Shape.of(1, 1), 6), t(Shape.of(2, 2), 1, 3, 3, 2), t(Shape.of(1, 1), 3),
                new int[] {0, 1}).toArray();
        assertArrayEquals(new float[] {0, 3, 3, 0}, all);
    }

    @Test
    void maxReduceGradientMatchesFiniteDifferences() {
        Random rng = new Random(23);
        int[][] shapes = {{5}, {3, 4}, {2, 3, 4}, {2, 2, 3, 3}};
        int[][][] axesPerShape = {{{0}}, {{0}, {1}, {0, 1}}, {{1}, {0, 2}, {0, 1, 2}}, {{0, 3}, {1, 2}, {3}}};
        for (int c = 0; c < shapes.length; c++) {
            Shape s = Shape.of(shapes[c]);
            for (int[] axes : axesPerShape[c]) {
                float[] x = distinctValues(rng, s.numel());
                Shape keep = keepShape(s, axes);
                float[] w = uniform(rng, keep.numel(), 1);
                float[] y = toFloat(naiveMax(toDouble(x), s, axes));
                float[] dx = D.maxReduceBackward(t(keep, w), t(s, x), t(keep, y), axes).toArray();
                assertFiniteDifferences(x, dx, xd -> dot(w, naiveMax(xd, s, axes)), 1e-5,
                        s + " axes " + java.util.Arrays.toString(axes));
            }
        }
    }

    // ---- bad input --------------------------------------------------------------------------------------------

    @Test
    void mismatchedShapesNameTheOpAndTheShapes() {
        Tensor a = D.zeros(Shape.of(2, 3));
        Tensor b = D.zeros(Shape.of(3, 2));
        assertError("reluBackward:", "(2,3)", () -> D.reluBackward(a, b));
        assertError("clampBackward:", "(3,2)", () -> D.clampBackward(a, b, 0, 1));
        assertError("clampBackward:", "min <= max", () -> D.clampBackward(a, a, 1, 0));
        assertError("softmaxBackward:", "(3,2)", () -> D.softmaxBackward(a, b, 1));
        assertError("softmaxBackward:", "axis 2", () -> D.softmaxBackward(a, a, 2));
        assertError("maxReduceBackward:", "(1,3)", () -> D.maxReduceBackward(b, a, D.zeros(Shape.of(1, 3)),
                new int[] {0}));
        assertError("maxReduceBackward:", "(1,3)", () -> D.maxReduceBackward(D.zeros(Shape.of(1, 3)), a, b,
                new int[] {0}));
        assertError("maxReduceBackward:", "twice", () -> D.maxReduceBackward(a, a, a, new int[] {0, -2}));
    }

    private static void assertError(String start, String mustContain, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(start) && e.getMessage().contains(mustContain), e.getMessage());
    }

    // ---- naive double-precision forwards and helpers ----------------------------------------------------------

    private static double[] naiveSoftmax(double[] x, Shape s, int axis) {
        int a = s.normalizeAxis(axis);
        int len = s.dim(a);
        int inner = s.size(a + 1, s.rank());
        double[] y = new double[x.length];
        for (int row = 0; row < s.size(0, a) * inner; row++) {
            int base = (row / inner) * len * inner + row % inner;
            double sum = 0;
            for (int j = 0; j < len; j++) {
                sum += Math.exp(x[base + j * inner]);
            }
            for (int j = 0; j < len; j++) {
                y[base + j * inner] = Math.exp(x[base + j * inner]) / sum;
            }
        }
        return y;
    }

    private static Shape keepShape(Shape s, int[] axes) {
        Shape keep = s;
        for (int a : axes) {
            keep = keep.with(a, 1);
        }
        return keep;
    }

    /** Max over {@code axes} into the keep-dims shape, visiting every input element once. */
    private static double[] naiveMax(double[] x, Shape s, int[] axes) {
        Shape keep = keepShape(s, axes);
        double[] y = new double[keep.numel()];
        java.util.Arrays.fill(y, Double.NEGATIVE_INFINITY);
        int[] dims = s.dims();
        for (int i = 0; i < x.length; i++) {
            int rest = i;
            int k = 0;
            int stride = 1;
            for (int a = dims.length - 1; a >= 0; a--) {
                int coord = rest % dims[a];
                rest /= dims[a];
                k += (keep.dim(a) == 1 ? 0 : coord) * stride;
                stride *= keep.dim(a);
            }
            y[k] = Math.max(y[k], x[i]);
        }
        return y;
    }

    private static void assertFiniteDifferences(float[] x, float[] dx, java.util.function.ToDoubleFunction<double[]> f,
                                                double rtol, String what) {
        double h = 1e-3;
        for (int i = 0; i < x.length; i++) {
            double[] plus = toDouble(x);
            double[] minus = toDouble(x);
            plus[i] += h;
            minus[i] -= h;
            double fd = (f.applyAsDouble(plus) - f.applyAsDouble(minus)) / (2 * h);
            assertEquals(fd, dx[i], rtol * Math.abs(fd) + 1e-6, what + " element " + i);
        }
    }

    /** A shuffle of distinct values 0.01 apart, so that h = 1e-3 never crosses a kink. */
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

    private static float[] uniform(Random rng, int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (rng.nextFloat() * 2 - 1) * scale;
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

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    private static double dot(float[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
