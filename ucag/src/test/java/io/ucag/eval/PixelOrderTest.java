package io.ucag.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.ucag.eval.metrics.PixelOrder;
import org.junit.jupiter.api.Test;

class PixelOrderTest {
    @Test
    void ranksBySaliencyDescendingWithTiesInPixelOrder() {
        assertArrayEquals(new int[] {3, 0, 1, 2}, PixelOrder.ranks(new float[] {0.1f, 0.9f, 0.5f, 0.5f}));
    }

    @Test
    void negativeValuesInfinitiesAndNaN() {
        float[] s = {-2f, -1f, Float.NaN, Float.POSITIVE_INFINITY, 0f, -0f, Float.NEGATIVE_INFINITY, 3f};
        // order: +inf(3), 3(7), 0(4), -0(5: equal to 0, later index), -1(1), -2(0), then -inf(6) and NaN(2)
        // NaN counts as -inf and ties with it by index: index 2 before index 6
        assertArrayEquals(new int[] {5, 4, 6, 0, 2, 3, 7, 1}, PixelOrder.ranks(s));
    }

    @Test
    void largeEqualMapsKeepPixelOrder() {
        float[] s = new float[50_176];
        int[] r = PixelOrder.ranks(s);
        for (int i = 0; i < r.length; i++) {
            if (r[i] != i) {
                throw new AssertionError("pixel " + i + " has rank " + r[i]);
            }
        }
    }
}
