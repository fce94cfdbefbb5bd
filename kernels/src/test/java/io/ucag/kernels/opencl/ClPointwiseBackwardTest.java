package io.ucag.kernels.opencl;

import static io.ucag.kernels.OpenClTestSupport.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ucag.kernels.OpenClTestSupport;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.java.JavaDevice;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** pointwise_backward.cl against the Java reference: special values, awkward shapes, every axis subset. */
class ClPointwiseBackwardTest {
    private static final JavaDevice JAVA = new JavaDevice(1);
    private static final float NAN = Float.NaN;
    private static final float INF = Float.POSITIVE_INFINITY;
    private static final int[] SIZES = {1, 3, 7, 13};

    @AfterAll
    static void closeJava() {
        JAVA.close();
    }

    private static Shape randomShape(Random rng, int maxRank) {
        int[] dims = new int[1 + rng.nextInt(maxRank)];
        for (int a = 0; a < dims.length; a++) {
            dims[a] = SIZES[rng.nextInt(SIZES.length)];
        }
        return Shape.of(dims);
    }

    @Test
    void reluAndClampBackwardEqualJavaOnSpecialValues() {
        ClDevice cl = OpenClTestSupport.device();
        float[] x = {NAN, -INF, -2, -1, -0f, 0, 0.5f, 1, 2, INF, 1e-30f, -1e-30f, 0.999f};
        float[] g = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13};
        Shape s = Shape.of(x.length);
        float[][] bounds = {{0, 1}, {-1, 1}, {-INF, 0}, {0, INF}, {1, 1}};
        try (TensorScope scope = TensorScope.open()) {
            assertArrayEquals(JAVA.reluBackward(JAVA.fromArray(s, g), JAVA.fromArray(s, x)).toArray(),
                    cl.reluBackward(cl.fromArray(s, g), cl.fromArray(s, x)).toArray());
            for (float[] b : bounds) {
                assertArrayEquals(JAVA.clampBackward(JAVA.fromArray(s, g), JAVA.fromArray(s, x), b[0], b[1]).toArray(),
                        cl.clampBackward(cl.fromArray(s, g), cl.fromArray(s, x), b[0], b[1]).toArray(),
                        Arrays.toString(b));
            }
        }
    }

    @Test
    void reluBackwardEqualsJavaOnALargeRandomTensor() {
        ClDevice cl = OpenClTestSupport.device();
        Random rng = new Random(51);
        Shape s = Shape.of(3, 7, 13, 13);
        float[] y = OpenClTestSupport.random(rng, s);
        float[] g = OpenClTestSupport.random(rng, s);
        try (TensorScope scope = TensorScope.open()) {
            assertArrayEquals(JAVA.reluBackward(JAVA.fromArray(s, g), JAVA.fromArray(s, y)).toArray(),
                    cl.reluBackward(cl.fromArray(s, g), cl.fromArray(s, y)).toArray());
        }
    }

    @Test
    void softmaxBackwardEqualsJavaOnEveryAxis() {
        ClDevice cl = OpenClTestSupport.device();
        Random rng = new Random(52);
        for (int c = 0; c < 25; c++) {
            Shape s = c == 0 ? Shape.of(2, 1000) : randomShape(rng, 4);
            float[] y = new float[s.numel()];
            for (int i = 0; i < y.length; i++) {
                y[i] = rng.nextFloat(); // the backward does not need a normalised y to be compared
            }
            float[] g = OpenClTestSupport.random(rng, s);
            for (int axis = -s.rank(); axis < s.rank(); axis++) {
                try (TensorScope scope = TensorScope.open()) {
                    float[] expected = JAVA.softmaxBackward(JAVA.fromArray(s, g), JAVA.fromArray(s, y), axis)
                            .toArray();
                    float[] actual = cl.softmaxBackward(cl.fromArray(s, g), cl.fromArray(s, y), axis).toArray();
                    assertClose("softmaxBackward " + s + " axis " + axis, expected, actual, 1e-4, 1e-5);
                }
            }
        }
    }

    @Test
    void maxReduceBackwardEqualsJavaForEveryAxisSubset() {
        ClDevice cl = OpenClTestSupport.device();
        Random rng = new Random(53);
        for (int c = 0; c < 12; c++) {
            // (2,3,4): axes {1}, {0,1} form one run (fast kernels), {0,2} do not (general kernels)
            Shape s = c == 0 ? Shape.of(2, 3, 4) : randomShape(rng, c < 3 ? 6 : 4);
            float[] x = new float[s.numel()];
            for (int i = 0; i < x.length; i++) { // few distinct values: many ties; a rare NaN poisons its group
                x[i] = rng.nextInt(60) == 0 ? NAN : rng.nextInt(4);
            }
            for (int mask = 1; mask < 1 << s.rank(); mask++) {
                int[] axes = axesOf(mask, s.rank(), rng);
                Shape keep = keepShape(s, axes);
                float[] y = naiveMax(x, s, keep);
                float[] g = OpenClTestSupport.random(rng, keep);
                try (TensorScope scope = TensorScope.open()) {
                    float[] expected = JAVA.maxReduceBackward(JAVA.fromArray(keep, g), JAVA.fromArray(s, x),
                            JAVA.fromArray(keep, y), axes).toArray();
                    float[] actual = cl.maxReduceBackward(cl.fromArray(keep, g), cl.fromArray(s, x),
                            cl.fromArray(keep, y), axes).toArray();
                    assertClose("maxReduceBackward " + s + " axes " + Arrays.toString(axes), expected, actual,
                            1e-6, 0);
                }
            }
        }
    }

    @Test
    void mismatchedShapesAreRejected() {
        ClDevice cl = OpenClTestSupport.device();
        try (TensorScope scope = TensorScope.open()) {
            Tensor a = cl.zeros(Shape.of(2, 3));
            Tensor b = cl.zeros(Shape.of(3, 2));
            assertThrows(IllegalArgumentException.class, () -> cl.reluBackward(a, b));
            assertThrows(IllegalArgumentException.class, () -> cl.clampBackward(a, a, 1, 0));
            assertThrows(IllegalArgumentException.class, () -> cl.softmaxBackward(a, a, -3));
            assertThrows(IllegalArgumentException.class, () -> cl.maxReduceBackward(b, a, b, new int[] {0}));
        }
    }

    /** The axes whose bit is set in mask, some of them written as negative axes. */
    private static int[] axesOf(int mask, int rank, Random rng) {
        return java.util.stream.IntStream.range(0, rank).filter(a -> (mask >> a & 1) != 0)
                .map(a -> rng.nextBoolean() ? a : a - rank).toArray();
    }

    private static Shape keepShape(Shape s, int[] axes) {
        Shape keep = s;
        for (int a : axes) {
            keep = keep.with(a, 1);
        }
        return keep;
    }

    /** torch.amax into the keep-dims shape; NaN propagates. */
    private static float[] naiveMax(float[] x, Shape s, Shape keep) {
        float[] y = new float[keep.numel()];
        Arrays.fill(y, Float.NEGATIVE_INFINITY);
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
            y[k] = Float.isNaN(x[i]) || Float.isNaN(y[k]) ? NAN : Math.max(y[k], x[i]);
        }
        return y;
    }
}
