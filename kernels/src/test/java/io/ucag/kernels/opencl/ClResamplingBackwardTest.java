package io.ucag.kernels.opencl;

import static io.ucag.kernels.OpenClTestSupport.assertClose;
import static io.ucag.kernels.OpenClTestSupport.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.kernels.OpenClTestSupport;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.java.JavaDevice;
import io.ucag.runtime.ops.ResizeMode;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** OpenCL resizeBackward / gaussianBlurBackward against the Java backend, rel 1e-4 plus a tiny atol. */
class ClResamplingBackwardTest {
    private static final JavaDevice JAVA = new JavaDevice(2);

    @AfterAll
    static void closeJava() {
        JAVA.close();
    }

    private static void compareResize(Shape in, int outH, int outW, ResizeMode mode, long seed) {
        ClDevice cl = OpenClTestSupport.device();
        Shape outShape = in.with(-2, outH).with(-1, outW);
        float[] g = random(new Random(seed), outShape);
        try (TensorScope scope = TensorScope.open()) {
            float[] expected = JAVA.resizeBackward(JAVA.fromArray(outShape, g), in, mode).toArray();
            float[] actual = cl.resizeBackward(cl.fromArray(outShape, g), in, mode).toArray();
            assertClose(mode + " " + in + " <- " + outShape, expected, actual, 1e-4, 1e-6);
        }
    }

    private static void compareBlur(Shape s, int k, float sigma, long seed) {
        ClDevice cl = OpenClTestSupport.device();
        float[] g = random(new Random(seed), s);
        try (TensorScope scope = TensorScope.open()) {
            float[] expected = JAVA.gaussianBlurBackward(JAVA.fromArray(s, g), k, sigma).toArray();
            float[] actual = cl.gaussianBlurBackward(cl.fromArray(s, g), k, sigma).toArray();
            assertClose("blur k" + k + " " + s, expected, actual, 1e-4, 1e-6);
        }
    }

    @ParameterizedTest
    @EnumSource(ResizeMode.class)
    void resizeShapesOfUcag(ResizeMode mode) {
        compareResize(Shape.of(36, 1, 124, 124), 322, 322, mode, 1); // UCAG patch maps up
        compareResize(Shape.of(3, 2, 322, 322), 124, 124, mode, 2);  // and down
        compareResize(Shape.of(2, 1, 7, 7), 224, 224, mode, 3);      // CAM upsampling
        compareResize(Shape.of(1, 3, 224, 224), 227, 227, mode, 4);
        compareResize(Shape.of(1, 3, 227, 227), 224, 224, mode, 5);
    }

    @ParameterizedTest
    @EnumSource(ResizeMode.class)
    void resizeAwkwardShapes(ResizeMode mode) {
        compareResize(Shape.of(1, 5), 5, 1, mode, 6);
        compareResize(Shape.of(5, 1), 1, 5, mode, 7);
        compareResize(Shape.of(1, 1), 1, 1, mode, 8);
        compareResize(Shape.of(2, 3, 13, 6), 6, 13, mode, 9);
        compareResize(Shape.of(2, 1, 1, 3, 7), 9, 2, mode, 10); // rank 5: every leading axis is a plane
        Random rnd = new Random(11);
        for (int i = 0; i < 20; i++) {
            Shape in = Shape.of(1 + rnd.nextInt(3), 1 + rnd.nextInt(40), 1 + rnd.nextInt(40));
            compareResize(in, 1 + rnd.nextInt(40), 1 + rnd.nextInt(40), mode, 100 + i);
        }
    }

    @Test
    void blurShapes() {
        compareBlur(Shape.of(2, 3, 64, 60), 5, 3f, 20);
        compareBlur(Shape.of(1, 2, 64, 60), 51, 50f, 21);
        compareBlur(Shape.of(1, 3, 224, 224), 5, 3f, 22);
        compareBlur(Shape.of(1, 1, 224, 224), 51, 50f, 23);
        compareBlur(Shape.of(3, 13, 7), 13, 2f, 24); // padding of 6 on 7 columns: folds across the whole row
        compareBlur(Shape.of(2, 7), 3, 0.8f, 25);
    }

    /** <A x, y> == <x, A^T y> with OpenCL's own forward ops (positive values: rel 1e-5 is strict). */
    @Test
    void adjointOfTheOpenClForwardOps() {
        ClDevice cl = OpenClTestSupport.device();
        Random rnd = new Random(40);
        int[][] sizes = {{7, 7, 224, 224}, {124, 124, 322, 322}, {322, 322, 124, 124}, {13, 6, 6, 13}, {1, 5, 5, 1}};
        try (TensorScope scope = TensorScope.open()) {
            for (ResizeMode mode : ResizeMode.values()) {
                for (int[] s : sizes) {
                    Shape in = Shape.of(2, s[0], s[1]);
                    Shape out = Shape.of(2, s[2], s[3]);
                    float[] x = positive(rnd, in);
                    float[] y = positive(rnd, out);
                    double lhs = dot(cl.resize(cl.fromArray(in, x), s[2], s[3], mode).toArray(), y);
                    double rhs = dot(x, cl.resizeBackward(cl.fromArray(out, y), in, mode).toArray());
                    assertEquals(lhs, rhs, 1e-5 * lhs, mode + " " + in + " -> " + out);
                }
            }
            Shape s = Shape.of(2, 64, 60);
            float[] x = positive(rnd, s);
            float[] y = positive(rnd, s);
            double lhs = dot(cl.gaussianBlur(cl.fromArray(s, x), 51, 50f).toArray(), y);
            double rhs = dot(x, cl.gaussianBlurBackward(cl.fromArray(s, y), 51, 50f).toArray());
            assertEquals(lhs, rhs, 1e-5 * lhs, "blur k51 " + s);
        }
    }

    private static float[] positive(Random rnd, Shape s) {
        float[] v = new float[s.numel()];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextFloat();
        }
        return v;
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }

    @Test
    void gradientIsDeterministic() {
        ClDevice cl = OpenClTestSupport.device();
        Shape out = Shape.of(2, 3, 61, 47);
        float[] g = random(new Random(30), out);
        try (TensorScope scope = TensorScope.open()) {
            Tensor grad = cl.fromArray(out, g);
            float[] first = cl.resizeBackward(grad, Shape.of(2, 3, 20, 90), ResizeMode.BICUBIC).toArray();
            float[] second = cl.resizeBackward(grad, Shape.of(2, 3, 20, 90), ResizeMode.BICUBIC).toArray();
            assertArrayEquals(first, second, 0f);
        }
    }

    @Test
    void wrongShapesAreRejected() {
        ClDevice cl = OpenClTestSupport.device();
        try (Tensor g = cl.zeros(Shape.of(2, 3, 8, 8))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> cl.resizeBackward(g, Shape.of(2, 4, 5, 5), ResizeMode.BILINEAR));
            assertTrue(e.getMessage().contains("resizeBackward") && e.getMessage().contains("(2,3,8,8)"),
                    e.getMessage());
            IllegalArgumentException blur = assertThrows(IllegalArgumentException.class,
                    () -> cl.gaussianBlurBackward(g, 17, 1f));
            assertTrue(blur.getMessage().startsWith("gaussianBlurBackward"), blur.getMessage());
        }
    }
}
