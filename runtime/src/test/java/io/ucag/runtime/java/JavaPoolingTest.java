package io.ucag.runtime.java;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.Pool2dParams;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Expected numbers of the hand-computed cases come from torch 1.13 (F.max_pool2d / avg_pool2d / adaptive). */
class JavaPoolingTest {
    /** Two threads so the parallel split is exercised; never closed, as jqwik and JUnit share it. */
    private static final JavaDevice DEVICE = new JavaDevice(2);

    /** 1..n as an (1,1,h,w) image. */
    private static Tensor ramp(int h, int w) {
        float[] v = new float[h * w];
        for (int i = 0; i < v.length; i++) {
            v[i] = i + 1;
        }
        return DEVICE.fromArray(Shape.of(1, 1, h, w), v);
    }

    private static Tensor random(Random rnd, Shape s) {
        float[] v = new float[s.numel()];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextFloat() * 4 - 2;
        }
        return DEVICE.fromArray(s, v);
    }

    /** x surrounded by {@code pad} pixels of {@code value} on each side of the last two axes. */
    private static Tensor padded(Tensor x, int padH, int padW, float value) {
        int[] d = x.shape().dims();
        int h = d[2];
        int w = d[3];
        int ph = h + 2 * padH;
        int pw = w + 2 * padW;
        float[] in = x.toArray();
        float[] out = new float[d[0] * d[1] * ph * pw];
        Arrays.fill(out, value);
        for (int plane = 0; plane < d[0] * d[1]; plane++) {
            for (int y = 0; y < h; y++) {
                System.arraycopy(in, (plane * h + y) * w, out, (plane * ph + y + padH) * pw + padW, w);
            }
        }
        return DEVICE.fromArray(Shape.of(d[0], d[1], ph, pw), out);
    }

    @Test
    void maxPoolCeilModeWithPadding() {
        Pool2dParams p = Pool2dParams.of(3, 2, 1).withCeilMode(true);
        Tensor y = DEVICE.maxPool2d(ramp(5, 5), p);
        assertEquals(Shape.of(1, 1, 3, 3), y.shape());
        assertArrayEquals(new float[] {7, 9, 10, 17, 19, 20, 22, 24, 25}, y.toArray());
    }

    @Test
    void maxPoolTreatsPaddingAsMinusInfinity() {
        Tensor negative = DEVICE.scale(ramp(5, 5), -1);
        Tensor y = DEVICE.maxPool2d(negative, Pool2dParams.of(2, 2, 1));
        assertArrayEquals(new float[] {-1, -2, -4, -6, -7, -9, -16, -17, -19}, y.toArray());
        Tensor allNegInf = DEVICE.fromArray(Shape.of(1, 1, 1, 1), new float[] {Float.NEGATIVE_INFINITY});
        assertArrayEquals(new float[] {Float.NEGATIVE_INFINITY},
                DEVICE.maxPool2d(allNegInf, Pool2dParams.of(1, 1, 0)).toArray());
    }

    @Test
    void maxPoolPropagatesNaNWherever() {
        float nan = Float.NaN;
        Tensor x = DEVICE.fromArray(Shape.of(1, 1, 2, 4), new float[] {1, nan, 3, 4, 5, 6, 7, 8});
        assertArrayEquals(new float[] {nan, 8}, DEVICE.maxPool2d(x, Pool2dParams.of(2, 2, 0)).toArray());
        Tensor first = DEVICE.fromArray(Shape.of(1, 1, 1, 3), new float[] {nan, 5, 9});
        assertArrayEquals(new float[] {nan}, DEVICE.maxPool2d(first, new Pool2dParams(1, 3, 1, 1, 0, 0, false))
                .toArray());
    }

    @Test
    void avgPoolCeilModeDivisorCountsPaddingButNotTheOverhang() {
        Pool2dParams p = Pool2dParams.of(3, 2, 1).withCeilMode(true);
        assertArrayEquals(new float[] {14f / 9, 30f / 9, 2, 57f / 9, 11, 6, 4.5f, 7.5f, 4},
                DEVICE.avgPool2d(ramp(4, 4), p, true).toArray(), 1e-6f);
        assertArrayEquals(new float[] {3.5f, 5, 6, 9.5f, 11, 12, 13.5f, 15, 16},
                DEVICE.avgPool2d(ramp(4, 4), p, false).toArray(), 1e-6f);
        // no padding: the ceil-mode overhang is not counted even with countIncludePad
        Pool2dParams noPad = Pool2dParams.of(3, 2, 0).withCeilMode(true);
        assertArrayEquals(new float[] {6, 7.5f, 12, 13.5f}, DEVICE.avgPool2d(ramp(4, 4), noPad, true).toArray());
    }

    @Test
    void avgPoolRectangularWindowWithStrideOtherThanKernel() {
        Pool2dParams p = new Pool2dParams(2, 3, 3, 1, 1, 1, true);
        Tensor y = DEVICE.avgPool2d(ramp(5, 5), p, true);
        assertEquals(Shape.of(1, 1, 2, 5), y.shape());
        assertArrayEquals(new float[] {0.5f, 1, 1.5f, 2, 1.5f, 28f / 3, 14.5f, 15.5f, 16.5f, 34f / 3}, y.toArray(),
                1e-6f);
    }

    @Test
    void adaptiveAvgPoolBinsOverlapWhenSizesDoNotDivide() {
        assertArrayEquals(new float[] {4.5f, 6.5f, 12, 14, 19.5f, 21.5f},
                DEVICE.adaptiveAvgPool2d(ramp(5, 5), 3, 2).toArray());
        // upsampling: bins repeat input pixels
        assertArrayEquals(new float[] {1, 1.5f, 2.5f, 3, 2.5f, 3, 4, 4.5f, 4, 4.5f, 5.5f, 6},
                DEVICE.adaptiveAvgPool2d(ramp(2, 3), 3, 4).toArray());
        assertArrayEquals(new float[] {13}, DEVICE.adaptiveAvgPool2d(ramp(5, 5), 1, 1).toArray());
    }

    @Test
    void binEdgesFollowFloorAndCeil() {
        assertEquals(0, JavaPooling.binStart(0, 7, 3));
        assertEquals(3, JavaPooling.binEnd(0, 7, 3)); // ceil(7/3)
        assertEquals(2, JavaPooling.binStart(1, 7, 3)); // floor(7/3)
        assertEquals(5, JavaPooling.binEnd(1, 7, 3)); // ceil(14/3)
        assertEquals(7, JavaPooling.binEnd(2, 7, 3));
    }

    @Property(tries = 40)
    void maxPoolEqualsPoolingAnExplicitlyMinusInfinityPaddedInput(@ForAll @IntRange(min = 1, max = 4) int k,
            @ForAll @IntRange(min = 1, max = 3) int stride, @ForAll @IntRange(min = 0, max = 2) int pad,
            @ForAll @IntRange(min = 1, max = 13) int h, @ForAll @IntRange(min = 1, max = 9) int w,
            @ForAll long seed) {
        int pd = Math.min(pad, k / 2);
        if (h + 2 * pd < k || w + 2 * pd < k) {
            return;
        }
        Tensor x = random(new Random(seed), Shape.of(2, 3, h, w));
        float[] direct = DEVICE.maxPool2d(x, Pool2dParams.of(k, stride, pd)).toArray();
        float[] viaPad = DEVICE.maxPool2d(padded(x, pd, pd, Float.NEGATIVE_INFINITY), Pool2dParams.of(k, stride, 0))
                .toArray();
        assertArrayEquals(viaPad, direct);
        float[] avgIncl = DEVICE.avgPool2d(x, Pool2dParams.of(k, stride, pd), true).toArray();
        float[] avgViaPad = DEVICE.avgPool2d(padded(x, pd, pd, 0), Pool2dParams.of(k, stride, 0), true).toArray();
        assertArrayEquals(avgViaPad, avgIncl, 1e-6f);
    }

    @Property(tries = 30)
    void maxIsAtLeastTheInImageAverage(@ForAll @IntRange(min = 1, max = 4) int k,
            @ForAll @IntRange(min = 1, max = 3) int stride, @ForAll @IntRange(min = 1, max = 11) int h,
            @ForAll boolean ceil, @ForAll long seed) {
        Pool2dParams p = Pool2dParams.of(k, stride, k / 2).withCeilMode(ceil);
        if (h + 2 * (k / 2) < k) {
            return;
        }
        Tensor x = random(new Random(seed), Shape.of(1, 2, h, h + 2));
        float[] max = DEVICE.maxPool2d(x, p).toArray();
        float[] avg = DEVICE.avgPool2d(x, p, false).toArray();
        float[] avgIncl = DEVICE.avgPool2d(DEVICE.add(x, DEVICE.fromArray(Shape.of(1), new float[] {5})), p, true)
                .toArray();
        float[] avgExcl = DEVICE.avgPool2d(DEVICE.add(x, DEVICE.fromArray(Shape.of(1), new float[] {5})), p, false)
                .toArray();
        for (int i = 0; i < max.length; i++) {
            assertTrue(max[i] >= avg[i] - 1e-6f, "window " + i);
            // on positive inputs counting padding can only lower the average
            assertTrue(avgIncl[i] <= avgExcl[i] + 1e-6f, "window " + i);
        }
    }

    @Test
    void unitWindowsAreTheIdentity() {
        Tensor x = random(new Random(3), Shape.of(2, 3, 7, 5));
        Pool2dParams unit = Pool2dParams.of(1, 1, 0);
        assertArrayEquals(x.toArray(), DEVICE.maxPool2d(x, unit).toArray());
        assertArrayEquals(x.toArray(), DEVICE.avgPool2d(x, unit, true).toArray());
        assertArrayEquals(x.toArray(), DEVICE.adaptiveAvgPool2d(x, 7, 5).toArray());
    }

    @Test
    void adaptiveMatchesAvgPoolWhenSizesDivide() {
        // large enough to run on both threads
        Tensor x = random(new Random(4), Shape.of(2, 64, 24, 36));
        float[] adaptive = DEVICE.adaptiveAvgPool2d(x, 6, 12).toArray();
        float[] avg = DEVICE.avgPool2d(x, new Pool2dParams(4, 3, 4, 3, 0, 0, false), false).toArray();
        assertArrayEquals(avg, adaptive, 1e-6f);
    }

    @Test
    void badShapesNameTheOpAndTheShape() {
        Tensor rank3 = DEVICE.zeros(Shape.of(3, 4, 4));
        var e = assertThrows(IllegalArgumentException.class, () -> DEVICE.maxPool2d(rank3, Pool2dParams.of(2, 2, 0)));
        assertTrue(e.getMessage().contains("maxPool2d") && e.getMessage().contains("(3,4,4)"), e.getMessage());
        Tensor small = DEVICE.zeros(Shape.of(1, 1, 2, 2));
        e = assertThrows(IllegalArgumentException.class, () -> DEVICE.avgPool2d(small, Pool2dParams.of(3, 1, 0), true));
        assertTrue(e.getMessage().contains("avgPool2d") && e.getMessage().contains("(1,1,2,2)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DEVICE.adaptiveAvgPool2d(small, 0, 1));
        assertTrue(e.getMessage().contains("adaptiveAvgPool2d"), e.getMessage());
    }
}
