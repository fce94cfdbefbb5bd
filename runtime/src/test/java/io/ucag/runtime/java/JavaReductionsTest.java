package io.ucag.runtime.java;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.ReduceOp;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class JavaReductionsTest {
    private static final JavaDevice D = new JavaDevice(2);

    @AfterAll
    static void closeDevice() {
        D.close();
    }

    private static float[] arange(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    @Test
    void softmaxMatchesTorch() {
        // torch.softmax(torch.tensor([1., 2., 3.]), 0)
        float[] y = D.softmax(D.fromArray(Shape.of(3), new float[] {1, 2, 3}), 0).toArray();
        assertArrayEquals(new float[] {0.09003057f, 0.24472848f, 0.66524094f}, y, 1e-7f);
    }

    @Test
    void softmaxOfHugeValuesDoesNotOverflow() {
        float[] y = D.softmax(D.fromArray(Shape.of(2), new float[] {1000, 1001}), -1).toArray();
        assertArrayEquals(new float[] {0.26894142f, 0.73105858f}, y, 1e-7f);
    }

    @Test
    void softmaxGivesZeroToMinusInfinity() {
        float[] y = D.softmax(D.fromArray(Shape.of(3), new float[] {Float.NEGATIVE_INFINITY, 0, 0}), 0).toArray();
        assertArrayEquals(new float[] {0, 0.5f, 0.5f}, y, 0f);
    }

    @Test
    void softmaxOverMiddleAxisSumsToOneAndIsShiftInvariant() {
        Shape s = Shape.of(2, 5, 3);
        Random rnd = new Random(1);
        float[] x = new float[s.numel()];
        float[] shifted = new float[s.numel()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian() * 3;
        }
        for (int n = 0; n < 2; n++) {
            for (int c = 0; c < 5; c++) {
                for (int w = 0; w < 3; w++) {
                    int i = (n * 5 + c) * 3 + w;
                    shifted[i] = x[i] + 10 * (n * 3 + w); // a constant per softmax line
                }
            }
        }
        float[] y = D.softmax(D.fromArray(s, x), 1).toArray();
        float[] ys = D.softmax(D.fromArray(s, shifted), -2).toArray();
        assertArrayEquals(y, ys, 1e-6f);
        for (int n = 0; n < 2; n++) {
            for (int w = 0; w < 3; w++) {
                double sum = 0;
                for (int c = 0; c < 5; c++) {
                    float v = y[(n * 5 + c) * 3 + w];
                    assertTrue(v > 0 && v < 1);
                    sum += v;
                }
                assertEquals(1.0, sum, 1e-6);
            }
        }
        // the largest input of a line gets the largest probability
        assertEquals(argmaxAlongC(x, 1, 2), argmaxAlongC(y, 1, 2));
    }

    private static int argmaxAlongC(float[] a, int n, int w) {
        int best = 0;
        for (int c = 1; c < 5; c++) {
            if (a[(n * 5 + c) * 3 + w] > a[(n * 5 + best) * 3 + w]) {
                best = c;
            }
        }
        return best;
    }

    @Test
    void sumMeanMaxOfSmallTensor() {
        Tensor x = D.fromArray(Shape.of(2, 3, 4), arange(24)); // x[n][c][w] = 12n + 4c + w
        Tensor sum = D.reduce(x, ReduceOp.SUM, new int[] {1}, false);
        assertEquals(Shape.of(2, 4), sum.shape());
        assertArrayEquals(new float[] {12, 15, 18, 21, 48, 51, 54, 57}, sum.toArray());

        Tensor mean = D.reduce(x, ReduceOp.MEAN, new int[] {2, 0}, true);
        assertEquals(Shape.of(1, 3, 1), mean.shape());
        assertArrayEquals(new float[] {7.5f, 11.5f, 15.5f}, mean.toArray());

        Tensor max = D.reduce(x, ReduceOp.MAX, new int[] {-1}, false);
        assertArrayEquals(new float[] {3, 7, 11, 15, 19, 23}, max.toArray());
    }

    @Test
    void fullReductionShapes() {
        Tensor x = D.fromArray(Shape.of(2, 3, 4), arange(24));
        Tensor all = D.reduce(x, ReduceOp.SUM, new int[] {0, 1, 2}, false);
        assertEquals(Shape.of(1), all.shape());
        assertArrayEquals(new float[] {276}, all.toArray());
        Tensor kept = D.reduce(x, ReduceOp.MAX, new int[] {0, 1, 2}, true);
        assertEquals(Shape.of(1, 1, 1), kept.shape());
        assertArrayEquals(new float[] {23}, kept.toArray());
    }

    @Test
    void reducingSizeOneAxisCopies() {
        float[] data = {1.5f, -2, 7};
        Tensor x = D.fromArray(Shape.of(3, 1), data);
        for (ReduceOp op : ReduceOp.values()) {
            Tensor y = D.reduce(x, op, new int[] {1}, false);
            assertEquals(Shape.of(3), y.shape());
            assertArrayEquals(data, y.toArray(), op.name());
        }
    }

    @Test
    void maxPropagatesNaNAndHandlesNegatives() {
        Tensor x = D.fromArray(Shape.of(2, 3), new float[] {-5, Float.NaN, -7, -3, -2, -9});
        float[] y = D.reduce(x, ReduceOp.MAX, new int[] {1}, false).toArray();
        assertTrue(Float.isNaN(y[0]));
        assertEquals(-2f, y[1]);
    }

    @Test
    void sumAccumulatesInDouble() {
        // float accumulation of 1 + 100000 * 1e-4 drifts by ~1e-3; double stays within float rounding
        float[] x = new float[100_001];
        Arrays.fill(x, 1e-4f);
        x[0] = 1;
        float y = D.reduce(D.fromArray(Shape.of(x.length), x), ReduceOp.SUM, new int[] {0}, false).toArray()[0];
        assertEquals(1 + 100_000 * (double) 1e-4f, y, 2e-6);
    }

    @Test
    void everySubsetOfAxesMatchesNaiveScatter() {
        int[] dims = {3, 1, 4, 5};
        Shape s = Shape.of(dims);
        Random rnd = new Random(7);
        float[] x = new float[s.numel()];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextFloat() * 2 - 1;
        }
        Tensor t = D.fromArray(s, x);
        for (int mask = 1; mask < 16; mask++) {
            int[] axes = new int[Integer.bitCount(mask)];
            int[] outDims = dims.clone();
            for (int a = 0, k = 0; a < 4; a++) {
                if ((mask & (1 << a)) != 0) {
                    axes[k++] = a - 4; // negative axes on purpose
                    outDims[a] = 1;
                }
            }
            double[] sum = new double[Shape.of(outDims).numel()];
            float[] max = new float[sum.length];
            Arrays.fill(max, Float.NEGATIVE_INFINITY);
            for (int i = 0; i < x.length; i++) {
                int o = 0;
                for (int a = 0, rem = i, stride = s.numel(); a < 4; a++) {
                    stride /= dims[a];
                    int coord = rem / stride;
                    rem %= stride;
                    o = o * outDims[a] + (outDims[a] == 1 ? 0 : coord);
                }
                sum[o] += x[i];
                max[o] = Math.max(max[o], x[i]);
            }
            int count = s.numel() / sum.length;
            float[] ySum = D.reduce(t, ReduceOp.SUM, axes, true).toArray();
            float[] yMean = D.reduce(t, ReduceOp.MEAN, axes, true).toArray();
            Tensor yMax = D.reduce(t, ReduceOp.MAX, axes, true);
            assertEquals(Shape.of(outDims), yMax.shape());
            for (int o = 0; o < sum.length; o++) {
                assertEquals(sum[o], ySum[o], 1e-5, "sum mask " + mask);
                assertEquals(sum[o] / count, yMean[o], 1e-6, "mean mask " + mask);
            }
            assertArrayEquals(max, yMax.toArray(), "max mask " + mask);
            Tensor dropped = D.reduce(t, ReduceOp.SUM, axes, false);
            assertEquals(Shape.of(outDims).numel(), dropped.shape().numel());
            assertEquals(Math.max(1, 4 - axes.length), dropped.shape().rank());
        }
    }

    @Test
    void badAxesAreRejectedWithOpAndShape() {
        Tensor x = D.fromArray(Shape.of(2, 3), new float[6]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> D.reduce(x, ReduceOp.SUM, new int[] {1, -1}, false));
        assertTrue(e.getMessage().startsWith("reduce:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> D.reduce(x, ReduceOp.MAX, new int[] {2}, false));
        assertTrue(e.getMessage().startsWith("reduce:") && e.getMessage().contains("(2,3)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> D.reduce(x, ReduceOp.MEAN, new int[0], false));
        assertTrue(e.getMessage().contains("(2,3)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> D.softmax(x, -3));
        assertTrue(e.getMessage().startsWith("softmax:") && e.getMessage().contains("(2,3)"), e.getMessage());
    }
}
