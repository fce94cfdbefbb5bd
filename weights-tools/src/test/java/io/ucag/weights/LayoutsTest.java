package io.ucag.weights;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LayoutsTest {
    private static float[] iota(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    @Test
    void hwioToOihwHandComputed() {
        // [kh=1,kw=2,in=2,out=3]: value = ((h*2+w)*2+i)*3+o.
        NamedTensor hwio = new NamedTensor("conv1/kernel", new int[] {1, 2, 2, 3}, iota(12));
        NamedTensor oihw = Layouts.hwioToOihw(hwio);
        assertArrayEquals(new int[] {3, 2, 1, 2}, oihw.shape());
        // out (o,i,h,w) in row-major order: o=0: i=0:(w0=0,w1=6) i=1:(3,9); o=1: 1,7,4,10; o=2: 2,8,5,11
        assertArrayEquals(new float[] {0, 6, 3, 9, 1, 7, 4, 10, 2, 8, 5, 11}, oihw.data());
        assertEquals("conv1/kernel", oihw.name());
    }

    @Test
    void hwioToOihwMatchesTheIndexFormulaOnAnAwkwardShape() {
        int kh = 3;
        int kw = 5;
        int in = 7;
        int out = 2;
        float[] src = new float[kh * kw * in * out];
        Random random = new Random(42);
        for (int i = 0; i < src.length; i++) {
            src[i] = random.nextFloat();
        }
        NamedTensor oihw = Layouts.hwioToOihw(new NamedTensor("k", new int[] {kh, kw, in, out}, src));
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                for (int h = 0; h < kh; h++) {
                    for (int w = 0; w < kw; w++) {
                        assertEquals(src[((h * kw + w) * in + i) * out + o],
                                oihw.data()[((o * in + i) * kh + h) * kw + w]);
                    }
                }
            }
        }
    }

    @Test
    void denseInOutToOutIn() {
        NamedTensor t = Layouts.denseInOutToOutIn(new NamedTensor("fc1000/kernel", new int[] {2, 3}, iota(6)));
        assertArrayEquals(new int[] {3, 2}, t.shape());
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, t.data());
    }

    @Test
    void permuteTwiceByInverseGivesTheInput() {
        NamedTensor t = new NamedTensor("x", new int[] {2, 3, 4, 5}, iota(120));
        NamedTensor p = Layouts.permute(t, 2, 0, 3, 1);
        assertArrayEquals(new int[] {4, 2, 5, 3}, p.shape());
        NamedTensor back = Layouts.permute(p, 1, 3, 0, 2);
        assertArrayEquals(t.shape(), back.shape());
        assertArrayEquals(t.data(), back.data());
    }

    @Test
    void wrongRanksAndAxesAreErrors() {
        NamedTensor bias = new NamedTensor("conv1/bias", new int[] {64}, new float[64]);
        assertEquals("hwioToOihw: tensor 'conv1/bias' has shape (64), expected rank 4 [kh,kw,in,out]",
                assertThrows(IllegalArgumentException.class, () -> Layouts.hwioToOihw(bias)).getMessage());
        NamedTensor m = new NamedTensor("m", new int[] {2, 2}, new float[4]);
        assertThrows(IllegalArgumentException.class, () -> Layouts.permute(m, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> Layouts.permute(m, 0));
    }
}
