package io.ucag.kernels.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.kernels.OpenClTestSupport;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.java.JavaDevice;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** OpenCL concat, crop and pad against the Java backend: pure copies, so the results must be identical. */
class ClLayoutTest {
    private static final JavaDevice JAVA = new JavaDevice(2);

    @AfterAll
    static void closeJava() {
        JAVA.close();
    }

    @Test
    void concatAlongEveryAxisOfAwkwardShapes() {
        ClDevice d = OpenClTestSupport.device();
        Random rng = new Random(21);
        int[] base = {2, 3, 7, 13};
        for (int axis = -4; axis < 4; axis++) {
            try (TensorScope scope = TensorScope.open()) {
                List<Tensor> javaParts = new ArrayList<>();
                List<Tensor> clParts = new ArrayList<>();
                for (int size : new int[] {1, 3, 13}) {
                    Shape s = Shape.of(base).with(axis, size);
                    float[] v = OpenClTestSupport.random(rng, s);
                    javaParts.add(JAVA.fromArray(s, v));
                    clParts.add(d.fromArray(s, v));
                }
                Tensor yj = JAVA.concat(javaParts, axis);
                Tensor yc = d.concat(clParts, axis);
                assertEquals(yj.shape(), yc.shape());
                assertArrayEquals(yj.toArray(), yc.toArray(), "concat axis " + axis);
            }
        }
    }

    @Test
    void cropAndPadMatchJava() {
        ClDevice d = OpenClTestSupport.device();
        Random rng = new Random(22);
        Shape[] shapes = {Shape.of(7, 13), Shape.of(1, 1, 1), Shape.of(2, 3, 7, 13), Shape.of(2, 1, 3, 5, 4)};
        for (Shape s : shapes) {
            try (TensorScope scope = TensorScope.open()) {
                float[] v = OpenClTestSupport.random(rng, s);
                Tensor xj = JAVA.fromArray(s, v);
                Tensor xc = d.fromArray(s, v);
                int h = s.dim(-2);
                int w = s.dim(-1);
                int[][] windows = {{0, 0, h, w}, {h / 2, w / 3, h - h / 2, w - w / 3}, {h - 1, w - 1, 1, 1}};
                for (int[] c : windows) {
                    Tensor yj = JAVA.crop(xj, c[0], c[1], c[2], c[3]);
                    Tensor yc = d.crop(xc, c[0], c[1], c[2], c[3]);
                    assertEquals(yj.shape(), yc.shape());
                    assertArrayEquals(yj.toArray(), yc.toArray(), "crop " + java.util.Arrays.toString(c) + " " + s);
                }
                int[][] pads = {{0, 0, 0, 0}, {1, 2, 3, 4}, {0, 5, 0, 1}, {13, 0, 7, 0}};
                for (int[] p : pads) {
                    Tensor yj = JAVA.pad(xj, p[0], p[1], p[2], p[3], -0.5f);
                    Tensor yc = d.pad(xc, p[0], p[1], p[2], p[3], -0.5f);
                    assertEquals(yj.shape(), yc.shape());
                    assertArrayEquals(yj.toArray(), yc.toArray(), "pad " + java.util.Arrays.toString(p) + " " + s);
                }
            }
        }
    }

    @Test
    void padWithNegativeInfinityThenCropIsIdentity() {
        ClDevice d = OpenClTestSupport.device();
        Shape s = Shape.of(3, 5, 224);
        float[] v = OpenClTestSupport.random(new Random(23), s);
        try (TensorScope scope = TensorScope.open()) {
            Tensor padded = d.pad(d.fromArray(s, v), 2, 1, 1, 2, Float.NEGATIVE_INFINITY);
            float[] p = padded.toArray();
            assertEquals(Float.NEGATIVE_INFINITY, p[0]);
            assertArrayEquals(v, d.crop(padded, 2, 1, 5, 224).toArray());
        }
    }

    @Test
    void badInputsNameOpAndShapes() {
        ClDevice d = OpenClTestSupport.device();
        try (TensorScope scope = TensorScope.open()) {
            Tensor a = d.zeros(Shape.of(2, 3));
            Tensor b = d.zeros(Shape.of(2, 4));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.concat(List.of(a, b), 0));
            assertTrue(e.getMessage().startsWith("concat:") && e.getMessage().contains("(2,4)"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> d.crop(a, 0, 1, 2, 3));
            assertTrue(e.getMessage().startsWith("crop:") && e.getMessage().contains("(2,3)"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> d.pad(a, -1, 0, 0, 0, 0f));
            assertTrue(e.getMessage().startsWith("pad:") && e.getMessage().contains("(2,3)"), e.getMessage());
        }
    }
}
