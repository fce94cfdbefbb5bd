package io.ucag.kernels.opencl;

import static io.ucag.kernels.OpenClTestSupport.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.kernels.OpenClTestSupport;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.java.JavaDevice;
import io.ucag.runtime.ops.Pool2dParams;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** pooling_backward.cl against the Java reference on random awkward shapes, ties and NaN included. */
class ClPoolingBackwardTest {
    private static final JavaDevice JAVA = new JavaDevice(1);

    @AfterAll
    static void closeJava() {
        JAVA.close();
    }

    /** Random geometry with a window that fits: kernels 1..4, strides 1..3, padding up to half the kernel. */
    private static Pool2dParams randomParams(Random rng) {
        int kh = 1 + rng.nextInt(4);
        int kw = 1 + rng.nextInt(4);
        return new Pool2dParams(kh, kw, 1 + rng.nextInt(3), 1 + rng.nextInt(3), rng.nextInt(kh / 2 + 1),
                rng.nextInt(kw / 2 + 1), rng.nextBoolean());
    }

    private static Shape randomInput(Random rng, Pool2dParams p) {
        int[] sizes = {1, 3, 7, 13};
        return Shape.of(1 + rng.nextInt(3), sizes[rng.nextInt(4)], p.kernelH() + rng.nextInt(12),
                p.kernelW() + rng.nextInt(12));
    }

    private static Shape outputOf(Shape xs, Pool2dParams p) {
        return Shape.of(xs.dim(0), xs.dim(1), p.outH(xs.dim(2)), p.outW(xs.dim(3)));
    }

    /** Values from a small set, so windows often hold ties, plus some NaN and -inf. */
    private static float[] tiedValues(Random rng, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            int r = rng.nextInt(40);
            v[i] = r == 0 ? Float.NaN : r == 1 ? Float.NEGATIVE_INFINITY : rng.nextInt(5) - 2;
        }
        return v;
    }

    @Test
    void maxPoolBackwardEqualsJava() {
        ClDevice cl = OpenClTestSupport.device();
        Random rng = new Random(41);
        int disjoint = 0;
        for (int c = 0; c < 40; c++) {
            Pool2dParams p = randomParams(rng);
            disjoint += p.strideH() >= p.kernelH() && p.strideW() >= p.kernelW() ? 1 : 0;
            Shape xs = randomInput(rng, p);
            Shape ys = outputOf(xs, p);
            float[] x = c % 2 == 0 ? tiedValues(rng, xs.numel()) : OpenClTestSupport.random(rng, xs);
            float[] g = OpenClTestSupport.random(rng, ys);
            try (TensorScope scope = TensorScope.open()) {
                float[] expected = JAVA.maxPool2dBackward(JAVA.fromArray(ys, g), JAVA.fromArray(xs, x), p).toArray();
                float[] actual = cl.maxPool2dBackward(cl.fromArray(ys, g), cl.fromArray(xs, x), p).toArray();
                assertClose("maxPool2dBackward " + xs + " " + p, expected, actual, 1e-4, 1e-6);
            }
        }
        assertTrue(disjoint > 5 && disjoint < 35, "both the disjoint-window and the general kernel were tested");
    }

    /**
     * Rows wide enough for the arg-max's vector segments (16 windows at column stride 1 or 2) beside windows in the
     * padding, on values full of ties, NaN and -inf: the gradient lands where Java's does, element for element.
     */
    @Test
    void maxPoolBackwardOfWideRowsEqualsJava() {
        ClDevice cl = OpenClTestSupport.device();
        Random rng = new Random(43);
        Shape xs = Shape.of(2, 3, 9, 161);
        Pool2dParams[] pools = {Pool2dParams.of(3, 2, 1), new Pool2dParams(3, 3, 1, 1, 1, 1, false),
            new Pool2dParams(2, 3, 1, 2, 0, 1, true), new Pool2dParams(3, 3, 2, 3, 1, 1, false)};
        for (Pool2dParams p : pools) {
            Shape ys = outputOf(xs, p);
            float[] x = tiedValues(rng, xs.numel());
            float[] g = new float[ys.numel()];
            for (int i = 0; i < g.length; i++) {
                g[i] = 1 + i % 251; // distinct enough that a misrouted window shows
            }
            try (TensorScope scope = TensorScope.open()) {
                float[] expected = JAVA.maxPool2dBackward(JAVA.fromArray(ys, g), JAVA.fromArray(xs, x), p).toArray();
                float[] actual = cl.maxPool2dBackward(cl.fromArray(ys, g), cl.fromArray(xs, x), p).toArray();
                assertArrayEquals(expected, actual, "maxPool2dBackward " + xs + " " + p);
            }
        }
    }

    @Test
    void maxPoolBackwardRoutesTiesAndNanLikePyTorch() {
        ClDevice cl = OpenClTestSupport.device();
        try (TensorScope scope = TensorScope.open()) {
            // torch: ties go to the first maximum ([[1,5,5,2],[5,0,0,5]], k2 s1 -> indices 1,1,2) ...
            Tensor ties = cl.fromArray(Shape.of(1, 1, 2, 4), new float[] {1, 5, 5, 2, 5, 0, 0, 5});
            Tensor g = cl.fromArray(Shape.of(1, 1, 1, 3), new float[] {10, 20, 30});
            assertArrayEquals(new float[] {0, 30, 30, 0, 0, 0, 0, 0},
                    cl.maxPool2dBackward(g, ties, new Pool2dParams(2, 2, 1, 1, 0, 0, false)).toArray());
            // ... and the last NaN of the window wins
            float nan = Float.NaN;
            Tensor nans = cl.fromArray(Shape.of(1, 1, 2, 4), new float[] {1, nan, 3, nan, 2, 5, 5, 0});
            Tensor g1 = cl.fromArray(Shape.of(1, 1, 1, 1), new float[] {7});
            assertArrayEquals(new float[] {0, 0, 0, 7, 0, 0, 0, 0},
                    cl.maxPool2dBackward(g1, nans, new Pool2dParams(2, 4, 2, 4, 0, 0, false)).toArray());
        }
    }

    @Test
    void avgPoolBackwardEqualsJava() {
        ClDevice cl = OpenClTestSupport.device();
        Random rng = new Random(42);
        for (int c = 0; c < 40; c++) {
            Pool2dParams p = randomParams(rng);
            Shape xs = randomInput(rng, p);
            Shape ys = outputOf(xs, p);
            boolean includePad = rng.nextBoolean();
            float[] g = OpenClTestSupport.random(rng, ys);
            try (TensorScope scope = TensorScope.open()) {
                float[] expected = JAVA.avgPool2dBackward(JAVA.fromArray(ys, g), xs, p, includePad).toArray();
                float[] actual = cl.avgPool2dBackward(cl.fromArray(ys, g), xs, p, includePad).toArray();
                assertClose("avgPool2dBackward " + xs + " " + p + " includePad " + includePad, expected, actual,
                        1e-4, 1e-6);
            }
        }
    }

    @Test
    void adaptiveAvgPoolBackwardEqualsJava() {
        ClDevice cl = OpenClTestSupport.device();
        Random rng = new Random(43);
        int[] sizes = {1, 3, 7, 13};
        for (int c = 0; c < 40; c++) {
            Shape xs = Shape.of(1 + rng.nextInt(3), sizes[rng.nextInt(4)], 1 + rng.nextInt(14), 1 + rng.nextInt(14));
            Shape ys = Shape.of(xs.dim(0), xs.dim(1), 1 + rng.nextInt(10), 1 + rng.nextInt(10));
            float[] g = OpenClTestSupport.random(rng, ys);
            try (TensorScope scope = TensorScope.open()) {
                float[] expected = JAVA.adaptiveAvgPool2dBackward(JAVA.fromArray(ys, g), xs).toArray();
                float[] actual = cl.adaptiveAvgPool2dBackward(cl.fromArray(ys, g), xs).toArray();
                assertClose("adaptiveAvgPool2dBackward " + xs + " -> " + ys, expected, actual, 1e-4, 1e-6);
            }
        }
        // global average pooling, the kernel's shortcut (ResNet's head): the same floats as the general rule
        Shape xs = Shape.of(2, 5, 7, 9);
        Shape ys = Shape.of(2, 5, 1, 1);
        float[] g = OpenClTestSupport.random(rng, ys);
        try (TensorScope scope = TensorScope.open()) {
            float[] expected = JAVA.adaptiveAvgPool2dBackward(JAVA.fromArray(ys, g), xs).toArray();
            float[] actual = cl.adaptiveAvgPool2dBackward(cl.fromArray(ys, g), xs).toArray();
            assertClose("adaptiveAvgPool2dBackward " + xs + " -> " + ys, expected, actual, 0, 0);
        }
    }

    @Test
    void wrongGradientShapesAreRejected() {
        ClDevice cl = OpenClTestSupport.device();
        try (TensorScope scope = TensorScope.open()) {
            Tensor x = cl.zeros(Shape.of(1, 2, 6, 6));
            Tensor wrong = cl.zeros(Shape.of(1, 2, 4, 3));
            Pool2dParams p = Pool2dParams.of(2, 2, 0);
            assertThrows(IllegalArgumentException.class, () -> cl.maxPool2dBackward(wrong, x, p));
            assertThrows(IllegalArgumentException.class, () -> cl.avgPool2dBackward(wrong, x.shape(), p, false));
            assertThrows(IllegalArgumentException.class,
                    () -> cl.adaptiveAvgPool2dBackward(wrong, Shape.of(1, 3, 6, 6)));
        }
    }
}
