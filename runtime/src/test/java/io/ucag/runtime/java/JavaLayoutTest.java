package io.ucag.runtime.java;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class JavaLayoutTest {
    private static final JavaDevice D = new JavaDevice(2);

    @AfterAll
    static void closeDevice() {
        D.close();
    }

    private static Tensor arange(Shape s, float start) {
        float[] a = new float[s.numel()];
        for (int i = 0; i < a.length; i++) {
            a[i] = start + i;
        }
        return D.fromArray(s, a);
    }

    private static Tensor random(Shape s, long seed) {
        Random rnd = new Random(seed);
        float[] a = new float[s.numel()];
        for (int i = 0; i < a.length; i++) {
            a[i] = rnd.nextFloat();
        }
        return D.fromArray(s, a);
    }

    @Test
    void concatAlongMiddleAxis() {
        Tensor a = arange(Shape.of(2, 1, 2), 0);   // [[0,1]], [[2,3]]
        Tensor b = arange(Shape.of(2, 2, 2), 10);  // [[10,11],[12,13]], [[14,15],[16,17]]
        Tensor y = D.concat(List.of(a, b), 1);
        assertEquals(Shape.of(2, 3, 2), y.shape());
        assertArrayEquals(new float[] {0, 1, 10, 11, 12, 13, 2, 3, 14, 15, 16, 17}, y.toArray());
    }

    @Test
    void concatAlongFirstAndLastAxis() {
        Tensor a = arange(Shape.of(1, 2), 0);
        Tensor b = arange(Shape.of(2, 2), 5);
        assertArrayEquals(new float[] {0, 1, 5, 6, 7, 8}, D.concat(List.of(a, b), 0).toArray());
        Tensor c = arange(Shape.of(2, 1), 20);
        Tensor y = D.concat(List.of(b, c, b), -1);
        assertEquals(Shape.of(2, 5), y.shape());
        assertArrayEquals(new float[] {5, 6, 20, 5, 6, 7, 8, 21, 7, 8}, y.toArray());
    }

    @Test
    void cropPicksTheWindow() {
        Tensor x = arange(Shape.of(2, 3, 4), 0);
        Tensor y = D.crop(x, 1, 1, 2, 2);
        assertEquals(Shape.of(2, 2, 2), y.shape());
        assertArrayEquals(new float[] {5, 6, 9, 10, 17, 18, 21, 22}, y.toArray());
        assertArrayEquals(x.toArray(), D.crop(x, 0, 0, 3, 4).toArray());
    }

    @Test
    void padsWithTheValue() {
        Tensor x = arange(Shape.of(1, 2, 2), 1);
        Tensor y = D.pad(x, 1, 0, 0, 2, -1f); // F.pad(x, (0, 2, 1, 0), value=-1)
        assertEquals(Shape.of(1, 3, 4), y.shape());
        assertArrayEquals(new float[] {-1, -1, -1, -1, 1, 2, -1, -1, 3, 4, -1, -1}, y.toArray());
    }

    @Test
    void concatThenCropGivesBackTheParts() {
        Tensor a = random(Shape.of(2, 3, 5, 4), 1);
        Tensor b = random(Shape.of(2, 3, 5, 7), 2);
        Tensor wide = D.concat(List.of(a, b), 3);
        assertArrayEquals(a.toArray(), D.crop(wide, 0, 0, 5, 4).toArray());
        assertArrayEquals(b.toArray(), D.crop(wide, 0, 4, 5, 7).toArray());
        Tensor c = random(Shape.of(2, 3, 2, 4), 3);
        Tensor tall = D.concat(List.of(a, c), -2);
        assertArrayEquals(c.toArray(), D.crop(tall, 5, 0, 2, 4).toArray());
    }

    @Test
    void padThenCropIsIdentityAndBorderHoldsValue() {
        Tensor x = random(Shape.of(3, 7, 13), 4);
        Tensor padded = D.pad(x, 2, 3, 4, 1, 9f);
        assertEquals(Shape.of(3, 12, 18), padded.shape());
        assertArrayEquals(x.toArray(), D.crop(padded, 2, 4, 7, 13).toArray());
        float[] p = padded.toArray();
        double sumX = 0;
        for (float v : x.toArray()) {
            sumX += v;
        }
        double sumP = 0;
        for (float v : p) {
            sumP += v;
        }
        assertEquals(sumX + 9.0 * 3 * (12 * 18 - 7 * 13), sumP, 1e-3);
    }

    @Test
    void badInputsNameOpAndShapes() {
        Tensor a = arange(Shape.of(2, 3), 0);
        Tensor b = arange(Shape.of(3, 3), 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> D.concat(List.of(a, b), 1));
        assertTrue(e.getMessage().startsWith("concat:") && e.getMessage().contains("(3,3)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> D.concat(List.of(), 0));
        assertTrue(e.getMessage().startsWith("concat:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> D.crop(a, 1, 0, 2, 3));
        assertTrue(e.getMessage().startsWith("crop:") && e.getMessage().contains("(2,3)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> D.pad(a, 0, -1, 0, 0, 0));
        assertTrue(e.getMessage().startsWith("pad:") && e.getMessage().contains("(2,3)"), e.getMessage());
        Tensor vector = arange(Shape.of(4), 0);
        e = assertThrows(IllegalArgumentException.class, () -> D.crop(vector, 0, 0, 1, 1));
        assertTrue(e.getMessage().contains("(4)"), e.getMessage());
    }
}
