package io.ucag.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class BatchNormFoldingTest {

    @Test
    void handComputedChannels() {
        // s = gamma / sqrt(var + eps): channel 0: 2 / 2 = 1 ... channel 1: -1 / 0.5 = -2
        float[] weight = {1, 2, 3, 4};
        BatchNormFolding.Folded f = BatchNormFolding.fold(weight, new float[] {10, 20}, new float[] {1, -2},
                new float[] {4, 0.25f}, new float[] {2, -1}, new float[] {0.5f, 3}, 0);
        assertArrayEquals(new float[] {1, 2, -6, -8}, f.weight());
        // (10 - 1) * 1 + 0.5 and (20 + 2) * -2 + 3
        assertArrayEquals(new float[] {9.5f, -41}, f.bias());
        assertArrayEquals(new float[] {1, 2, 3, 4}, weight, "input untouched");
    }

    @Test
    void missingBiasCountsAsZeros() {
        BatchNormFolding.Folded f = BatchNormFolding.fold(new float[] {3}, null, new float[] {2}, new float[] {1},
                new float[] {4}, new float[] {1}, 0);
        assertArrayEquals(new float[] {12}, f.weight());
        assertArrayEquals(new float[] {-7}, f.bias()); // (0 - 2) * 4 + 1
    }

    @Property(tries = 25)
    void convThenBatchNormEqualsTheFoldedConv(@ForAll @IntRange(min = 1, max = 5) int outChannels,
            @ForAll @IntRange(min = 1, max = 4) int inChannels, @ForAll @IntRange(min = 1, max = 3) int k,
            @ForAll boolean withBias, @ForAll long seed) {
        Random rnd = new Random(seed);
        int h = k + 4;
        int w = k + 2;
        float[] x = values(rnd, 2 * inChannels * h * w, 1);
        float[] weight = values(rnd, outChannels * inChannels * k * k, 1);
        float[] bias = withBias ? values(rnd, outChannels, 1) : null;
        float[] mean = values(rnd, outChannels, 1);
        float[] var = values(rnd, outChannels, 0.5f);
        for (int i = 0; i < outChannels; i++) {
            var[i] = Math.abs(var[i]) + 0.05f;
        }
        float[] gamma = values(rnd, outChannels, 2);
        float[] beta = values(rnd, outChannels, 1);
        float eps = 1e-5f;

        float[] conv = naiveConv(x, 2, inChannels, h, w, weight, bias, outChannels, k);
        int plane = (h - k + 1) * (w - k + 1);
        BatchNormFolding.Folded f = BatchNormFolding.fold(weight, bias, mean, var, gamma, beta, eps);
        float[] folded = naiveConv(x, 2, inChannels, h, w, f.weight(), f.bias(), outChannels, k);
        for (int i = 0; i < conv.length; i++) {
            int o = i / plane % outChannels;
            double bn = (conv[i] - mean[o]) / Math.sqrt(var[o] + eps) * gamma[o] + beta[o];
            assertEquals(bn, folded[i], 1e-5 * (1 + Math.abs(bn)), "output " + i);
        }
    }

    @Test
    void mismatchedLengthsAreRejected() {
        float[] one = {1};
        var e = assertThrows(IllegalArgumentException.class,
                () -> BatchNormFolding.fold(new float[] {1, 2, 3}, null, new float[] {0, 0}, new float[] {1, 1},
                        new float[] {1, 1}, new float[] {0, 0}, 1e-5f));
        assertTrue(e.getMessage().contains("batchNormFolding") && e.getMessage().contains("3"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> BatchNormFolding.fold(one, one, one, new float[] {1, 1}, one, one, 1e-5f));
        assertThrows(IllegalArgumentException.class,
                () -> BatchNormFolding.fold(new float[] {1, 2}, new float[] {1, 2, 3}, new float[] {0, 0},
                        new float[] {1, 1}, new float[] {1, 1}, new float[] {0, 0}, 1e-5f));
    }

    private static float[] values(Random rnd, int n, float range) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (rnd.nextFloat() * 2 - 1) * range;
        }
        return v;
    }

    /** Valid (no padding, stride 1) conv of (n,c,h,w) with (o,c,k,k), accumulated in double. */
    private static float[] naiveConv(float[] x, int n, int c, int h, int w, float[] weight, float[] bias, int o, int k) {
        int oh = h - k + 1;
        int ow = w - k + 1;
        float[] out = new float[n * o * oh * ow];
        for (int b = 0; b < n; b++) {
            for (int oc = 0; oc < o; oc++) {
                for (int y = 0; y < oh; y++) {
                    for (int z = 0; z < ow; z++) {
                        double acc = bias == null ? 0 : bias[oc];
                        for (int ic = 0; ic < c; ic++) {
                            for (int i = 0; i < k; i++) {
                                for (int j = 0; j < k; j++) {
                                    acc += (double) x[((b * c + ic) * h + y + i) * w + z + j]
                                            * weight[((oc * c + ic) * k + i) * k + j];
                                }
                            }
                        }
                        out[((b * o + oc) * oh + y) * ow + z] = (float) acc;
                    }
                }
            }
        }
        return out;
    }
}
