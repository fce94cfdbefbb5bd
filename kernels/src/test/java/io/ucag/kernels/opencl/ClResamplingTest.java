package io.ucag.kernels.opencl;

import static io.ucag.kernels.OpenClTestSupport.assertClose;
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

/** OpenCL resize and gaussian blur against the Java backend. */
class ClResamplingTest {
    private static final JavaDevice JAVA = new JavaDevice(2);

    @AfterAll
    static void closeJava() {
        JAVA.close();
    }

    @Test
    void resizeUpAndDownByNonIntegerFactors() {
        ClDevice d = OpenClTestSupport.device();
        Random rng = new Random(31);
        int[][] cases = { // in shape, then out h, out w
            {1, 3, 124, 124, 322, 322},
            {1, 2, 322, 322, 124, 124},
            {2, 3, 7, 7, 224, 224},
            {1, 1, 13, 13, 5, 5},
            {3, 124, 97, 322, 50},
            {13, 7, 1, 1},
            {3, 1, 1, 7, 13},
            {2, 1, 3, 5, 5, 3},
        };
        for (int[] c : cases) {
            Shape s = Shape.of(java.util.Arrays.copyOf(c, c.length - 2));
            int outH = c[c.length - 2];
            int outW = c[c.length - 1];
            float[] v = OpenClTestSupport.random(rng, s);
            for (ResizeMode mode : ResizeMode.values()) {
                try (TensorScope scope = TensorScope.open()) {
                    Tensor yj = JAVA.resize(JAVA.fromArray(s, v), outH, outW, mode);
                    Tensor yc = d.resize(d.fromArray(s, v), outH, outW, mode);
                    assertEquals(yj.shape(), yc.shape());
                    assertClose(mode + " " + s + " -> " + outH + "x" + outW, yj.toArray(), yc.toArray(), 1e-4, 1e-6);
                }
            }
        }
    }

    @Test
    void bicubicOfAConstantStaysConstant() {
        ClDevice d = OpenClTestSupport.device();
        float[] v = new float[3 * 13 * 7];
        java.util.Arrays.fill(v, 0.75f);
        try (Tensor x = d.fromArray(Shape.of(3, 13, 7), v); Tensor y = d.resize(x, 30, 4, ResizeMode.BICUBIC)) {
            for (float e : y.toArray()) {
                assertEquals(0.75f, e, 1e-5f);
            }
        }
    }

    @Test
    void blurMatchesJava() {
        ClDevice d = OpenClTestSupport.device();
        Random rng = new Random(32);
        Object[][] cases = { // shape, kernel size, sigma
            {Shape.of(1, 3, 224, 224), 5, 3f},
            {Shape.of(1, 3, 224, 224), 51, 50f},
            {Shape.of(2, 3, 7, 13), 13, 2f},
            {Shape.of(7, 13), 3, 0.5f},
            {Shape.of(2, 1, 1), 1, 1f},
        };
        for (Object[] c : cases) {
            Shape s = (Shape) c[0];
            int k = (Integer) c[1];
            float sigma = (Float) c[2];
            float[] v = OpenClTestSupport.random(rng, s);
            try (TensorScope scope = TensorScope.open()) {
                float[] yj = JAVA.gaussianBlur(JAVA.fromArray(s, v), k, sigma).toArray();
                float[] yc = d.gaussianBlur(d.fromArray(s, v), k, sigma).toArray();
                assertClose("blur k=" + k + " sigma=" + sigma + " " + s, yj, yc, 1e-4, 1e-6);
                if (k == 1) {
                    assertArrayEquals(v, yc, "a 1-tap blur is the identity");
                }
            }
        }
    }

    @Test
    void badInputsNameOpAndShape() {
        ClDevice d = OpenClTestSupport.device();
        try (Tensor x = d.zeros(Shape.of(2, 4, 5))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> d.resize(x, 3, 0, ResizeMode.BICUBIC));
            assertTrue(e.getMessage().startsWith("resize:") && e.getMessage().contains("(2,4,5)"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> d.gaussianBlur(x, 9, 1f));
            assertTrue(e.getMessage().startsWith("gaussianBlur:") && e.getMessage().contains("(2,4,5)"),
                    e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> d.gaussianBlur(x, 2, 1f));
            assertTrue(e.getMessage().startsWith("gaussianBlur:"), e.getMessage());
        }
    }
}
