package io.ucag.runtime.java;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.ResizeMode;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JavaResamplingTest {
    private static final JavaDevice D = new JavaDevice(2);

    @AfterAll
    static void closeDevice() {
        D.close();
    }

    private static Tensor arange(Shape s) {
        float[] a = new float[s.numel()];
        for (int i = 0; i < a.length; i++) {
            a[i] = i;
        }
        return D.fromArray(s, a);
    }

    private static float[] random(int n, long seed) {
        Random rnd = new Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < a.length; i++) {
            a[i] = rnd.nextFloat() * 2 - 1;
        }
        return a;
    }

    @Test
    void bilinearUpsampleByHand() {
        // source coordinate (dst + 0.5) / 2 - 0.5 = -0.25 (clamped to 0), 0.25, 0.75, 1.25 (right tap clamped)
        Tensor x = D.fromArray(Shape.of(1, 1, 2, 2), new float[] {1, 2, 3, 4});
        float[] expected = {
            1.0f, 1.25f, 1.75f, 2.0f,
            1.5f, 1.75f, 2.25f, 2.5f,
            2.5f, 2.75f, 3.25f, 3.5f,
            3.0f, 3.25f, 3.75f, 4.0f};
        assertArrayEquals(expected, D.resize(x, 4, 4, ResizeMode.BILINEAR).toArray(), 0f);
    }

    @Test
    void bilinearDownsampleMatchesTorch() {
        // F.interpolate(torch.arange(16.).view(1,1,4,4), size=(3,2), mode='bilinear', align_corners=False)
        float[] expected = {1.16666675f, 3.16666675f, 6.5f, 8.5f, 11.83333397f, 13.83333397f};
        float[] y = D.resize(arange(Shape.of(1, 1, 4, 4)), 3, 2, ResizeMode.BILINEAR).toArray();
        assertArrayEquals(expected, y, 1e-6f);
    }

    @Test
    void bicubicMatchesTorch() {
        // F.interpolate(torch.arange(16.).view(1,1,4,4), size=(7,5), mode='bicubic', align_corners=False)
        float[] expected = {
            -0.45761597f, 0.21388490f, 1.10313475f, 1.99238586f, 2.66388583f,
            1.05623031f, 1.72773087f, 2.61698008f, 3.50623107f, 4.17773056f,
            3.52561927f, 4.19711971f, 5.08636808f, 5.97561979f, 6.64711857f,
            5.93925238f, 6.61075211f, 7.50000000f, 8.38925266f, 9.06075191f,
            8.35287952f, 9.02437973f, 9.91362858f, 10.80288029f, 11.47437954f,
            10.82226753f, 11.49376774f, 12.38301563f, 13.27226830f, 13.94376850f,
            12.33611774f, 13.00761795f, 13.89686584f, 14.78611946f, 15.45761967f};
        float[] y = D.resize(arange(Shape.of(1, 1, 4, 4)), 7, 5, ResizeMode.BICUBIC).toArray();
        assertArrayEquals(expected, y, 3e-5f); // 2e-6 relative: ATen rounds the outer taps differently
    }

    @Test
    void bicubicDownsampleMatchesTorch() {
        // F.interpolate(torch.arange(13.).view(1,1,1,13), size=(1,5), mode='bicubic', align_corners=False)
        float[] y = D.resize(arange(Shape.of(1, 13)), 1, 5, ResizeMode.BICUBIC).toArray();
        assertArrayEquals(new float[] {0.72800004f, 3.42400050f, 5.99999619f, 8.57600021f, 11.27199554f}, y, 1e-5f);
        // F.interpolate(torch.arange(6.).view(1,1,1,6), size=(1,4), mode='bicubic'): scale 1.5, exact in binary
        y = D.resize(arange(Shape.of(1, 6)), 1, 4, ResizeMode.BICUBIC).toArray();
        assertArrayEquals(new float[] {0.19140625f, 1.703125f, 3.296875f, 4.80859375f}, y, 0f);
        // F.interpolate(torch.arange(4.).view(1,1,2,2), size=(1,1), mode='bicubic' or 'bilinear') = 1.5
        for (ResizeMode m : ResizeMode.values()) {
            assertArrayEquals(new float[] {1.5f}, D.resize(arange(Shape.of(2, 2)), 1, 1, m).toArray(), 0f);
        }
    }

    @ParameterizedTest
    @EnumSource(ResizeMode.class)
    void constantImageStaysConstant(ResizeMode mode) {
        float[] c = new float[3 * 7 * 13];
        java.util.Arrays.fill(c, 2.5f);
        Tensor x = D.fromArray(Shape.of(3, 7, 13), c);
        for (int[] size : new int[][] {{22, 40}, {3, 5}, {1, 1}, {7, 13}, {100, 2}}) {
            Tensor y = D.resize(x, size[0], size[1], mode);
            assertEquals(Shape.of(3, size[0], size[1]), y.shape());
            for (float v : y.toArray()) {
                assertEquals(2.5f, v, 1e-5f); // float weights sum to 1 within a few ulps
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ResizeMode.class)
    void sameSizeIsIdentity(ResizeMode mode) {
        float[] x = random(2 * 3 * 9 * 5, 1);
        float[] y = D.resize(D.fromArray(Shape.of(2, 3, 9, 5), x), 9, 5, mode).toArray();
        assertArrayEquals(x, y, 0f);
    }

    @ParameterizedTest
    @EnumSource(ResizeMode.class)
    void downsampleByThreePicksTheCentres(ResizeMode mode) {
        // source coordinate (dst + 0.5) * 3 - 0.5 = 3 dst + 1 is an integer: every weight but one is 0
        float[] x = random(2 * 9 * 6, 2);
        float[] y = D.resize(D.fromArray(Shape.of(2, 9, 6), x), 3, 2, mode).toArray();
        for (int p = 0; p < 2; p++) {
            for (int oy = 0; oy < 3; oy++) {
                for (int ox = 0; ox < 2; ox++) {
                    assertEquals(x[(p * 9 + 3 * oy + 1) * 6 + 3 * ox + 1], y[(p * 3 + oy) * 2 + ox], 0f);
                }
            }
        }
    }

    @Test
    void bilinearHalvingAveragesTwoByTwoBlocks() {
        float[] x = random(8 * 6, 3);
        float[] y = D.resize(D.fromArray(Shape.of(8, 6), x), 4, 3, ResizeMode.BILINEAR).toArray();
        for (int oy = 0; oy < 4; oy++) {
            for (int ox = 0; ox < 3; ox++) {
                int i = 2 * oy * 6 + 2 * ox;
                float mean = (x[i] + x[i + 1] + x[i + 6] + x[i + 7]) / 4;
                assertEquals(mean, y[oy * 3 + ox], 1e-6f);
            }
        }
    }

    @Test
    void planesAreResizedIndependently() {
        float[] x = random(2 * 3 * 5 * 4, 4);
        float[] all = D.resize(D.fromArray(Shape.of(2, 3, 5, 4), x), 11, 7, ResizeMode.BICUBIC).toArray();
        for (int p = 0; p < 6; p++) {
            float[] plane = java.util.Arrays.copyOfRange(x, p * 20, (p + 1) * 20);
            float[] one = D.resize(D.fromArray(Shape.of(5, 4), plane), 11, 7, ResizeMode.BICUBIC).toArray();
            assertArrayEquals(one, java.util.Arrays.copyOfRange(all, p * 77, (p + 1) * 77), 0f);
        }
    }

    @Test
    void blurMatchesTorchvision() {
        // torchvision.transforms.functional.gaussian_blur(torch.arange(20.).view(1,4,5), [3,3], [1.,1.])
        float[] expected = {
            3.28882360f, 3.74068642f, 4.74068642f, 5.74068642f, 6.19254875f,
            5.54813719f, 6.00000000f, 7.00000000f, 8.00000000f, 8.45186234f,
            10.54813766f, 11.00000000f, 12.00000000f, 13.00000000f, 13.45186234f,
            12.80745125f, 13.25931358f, 14.25931358f, 15.25931549f, 15.71117592f};
        assertArrayEquals(expected, D.gaussianBlur(arange(Shape.of(1, 4, 5)), 3, 1f).toArray(), 1e-5f);
    }

    @Test
    void blurOfImpulseIsTheKernelAndKeepsTheSum() {
        // gaussian_blur of a 9 at the centre of 5x5 zeros, [3,3], [1.,1.]: 9 * outer(k, k), k = (.274, .452, .274)
        float[] x = new float[25];
        x[12] = 9;
        float[] y = D.gaussianBlur(D.fromArray(Shape.of(5, 5), x), 3, 1f).toArray();
        assertEquals(1.83761954f, y[12], 1e-6f);
        assertEquals(1.11457264f, y[7], 1e-6f);
        assertEquals(0.67602247f, y[6], 1e-6f);
        assertEquals(0f, y[0], 0f);
        double sum = 0;
        for (float v : y) {
            sum += v;
        }
        assertEquals(9.0, sum, 1e-5);
    }

    @Test
    void blurKeepsTheSumAwayFromBordersAndConstantsEverywhere() {
        // a random 9x9 patch in the middle of a 40x40 zero image, k = 11: nothing reaches the border
        float[] x = new float[40 * 40];
        float[] patch = random(81, 5);
        double sum = 0;
        for (int i = 0; i < 81; i++) {
            x[(16 + i / 9) * 40 + 16 + i % 9] = patch[i];
            sum += patch[i];
        }
        float[] y = D.gaussianBlur(D.fromArray(Shape.of(1, 1, 40, 40), x), 11, 2.5f).toArray();
        double ySum = 0;
        for (float v : y) {
            ySum += v;
        }
        assertEquals(sum, ySum, 1e-4);
        float[] c = new float[2 * 15 * 12];
        java.util.Arrays.fill(c, -3f);
        for (float v : D.gaussianBlur(D.fromArray(Shape.of(2, 15, 12), c), 21, 50f).toArray()) {
            assertEquals(-3f, v, 1e-5f);
        }
    }

    @Test
    void blurReflectsWithoutRepeatingTheBorder() {
        // rows (0, 1, 0, 0) padded by reflection read (1 | 0, 1, 0, 0 | 0): the first output sees the 1 twice;
        // identical rows stay identical along the height. torchvision gives 0.54813725, 0.45186275, 0.27406862, 0
        float[] row = {0, 1, 0, 0};
        float[] x = new float[12];
        for (int r = 0; r < 3; r++) {
            System.arraycopy(row, 0, x, 4 * r, 4);
        }
        float[] k = io.ucag.runtime.OpShapes.gaussianKernel(3, 1f);
        float[] y = D.gaussianBlur(D.fromArray(Shape.of(3, 4), x), 3, 1f).toArray();
        for (int r = 0; r < 3; r++) {
            float[] expected = {2 * k[0], k[1], k[2], 0};
            assertArrayEquals(expected, java.util.Arrays.copyOfRange(y, 4 * r, 4 * r + 4), 1e-6f);
        }
        assertEquals(0.54813725f, y[0], 1e-6f);
    }

    @Test
    void badInputsNameOpAndShape() {
        Tensor x = arange(Shape.of(1, 4, 5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> D.resize(x, 0, 3, ResizeMode.BILINEAR));
        assertTrue(e.getMessage().startsWith("resize:") && e.getMessage().contains("(1,4,5)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> D.resize(arange(Shape.of(5)), 2, 2, ResizeMode.BICUBIC));
        assertTrue(e.getMessage().startsWith("resize:") && e.getMessage().contains("(5)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> D.gaussianBlur(x, 4, 1f));
        assertTrue(e.getMessage().startsWith("gaussianBlur:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> D.gaussianBlur(x, 3, 0f));
        assertTrue(e.getMessage().startsWith("gaussianBlur:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> D.gaussianBlur(x, 9, 1f));
        assertTrue(e.getMessage().startsWith("gaussianBlur:") && e.getMessage().contains("(1,4,5)"), e.getMessage());
    }
}
