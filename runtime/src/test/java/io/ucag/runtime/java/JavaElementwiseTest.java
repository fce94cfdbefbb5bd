package io.ucag.runtime.java;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Special values follow torch 1.13 (checked interactively: relu/clamp keep NaN and -0.0, exp overflows, div is
 * IEEE, sign maps -0.0 and NaN to 0.0).
 */
class JavaElementwiseTest {
    /** Two threads so the parallel split is exercised; never closed, as jqwik and JUnit share it. */
    private static final JavaDevice DEVICE = new JavaDevice(2);
    private static final float NAN = Float.NaN;
    private static final float INF = Float.POSITIVE_INFINITY;

    private static Tensor t(Shape s, float... v) {
        return DEVICE.fromArray(s, v);
    }

    private static Tensor vec(float... v) {
        return DEVICE.fromArray(Shape.of(v.length), v);
    }

    private static float[] randomValues(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = rnd.nextFloat() * 4 - 2;
        }
        return v;
    }

    @Test
    void reluKeepsNaNAndNegativeZero() {
        float[] y = DEVICE.relu(vec(-3, -0f, 0, 2.5f, NAN, -INF, INF)).toArray();
        assertArrayEquals(new float[] {0, -0f, 0, 2.5f, NAN, 0, INF}, y);
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(y[1]));
    }

    @Test
    void clampIsNaNPreservingAndKeepsBoundsOrder() {
        float[] y = DEVICE.clamp(vec(-5, -1, 0.5f, 1, 7, NAN, INF, -INF), -1, 1).toArray();
        assertArrayEquals(new float[] {-1, -1, 0.5f, 1, 1, NAN, 1, -1}, y);
        float[] oneSided = DEVICE.clamp(vec(-5, 3, NAN), 0, INF).toArray();
        assertArrayEquals(new float[] {0, 3, NAN}, oneSided);
        // torch: clamp(-0.0, 0, 1) stays -0.0 (only values below min are replaced)
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(DEVICE.clamp(vec(-0f), 0, 1).toArray()[0]));
    }

    @Test
    void clampRejectsInvertedOrNaNBounds() {
        var e = assertThrows(IllegalArgumentException.class, () -> DEVICE.clamp(vec(1, 2), 2, 1));
        assertTrue(e.getMessage().contains("clamp") && e.getMessage().contains("(2)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DEVICE.clamp(vec(1), NAN, 1));
    }

    @Test
    void expOverflowsToInfinityAndUnderflowsToZero() {
        float[] y = DEVICE.exp(vec(0, 1, -1, 88.7f, 88.8f, -104, INF, -INF, NAN)).toArray();
        assertArrayEquals(new float[] {1, (float) Math.E, (float) (1 / Math.E), 3.325976864406685e38f, INF, 0, INF, 0,
            NAN}, y);
    }

    @Test
    void scaleMultipliesEveryElement() {
        assertArrayEquals(new float[] {-2, -0f, 3, NAN, -INF}, DEVICE.scale(vec(4, 0, -6, NAN, INF), -0.5f).toArray());
    }

    @Test
    void batchNormPerChannelOfRank4() {
        Tensor x = t(Shape.of(1, 2, 2, 3), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        Tensor y = DEVICE.batchNorm(x, vec(1, -2), vec(4, 0.25f), vec(2, -1), vec(0.5f, 3), 0);
        assertArrayEquals(new float[] {0.5f, 1.5f, 2.5f, 3.5f, 4.5f, 5.5f, -15, -17, -19, -21, -23, -25}, y.toArray());
    }

    @Test
    void batchNormOfRank2UsesAxis1AsChannels() {
        Tensor y = DEVICE.batchNorm(t(Shape.of(2, 2), 1, 2, 3, 4), vec(1, -2), vec(4, 0.25f), vec(2, -1),
                vec(0.5f, 3), 0);
        assertArrayEquals(new float[] {0.5f, -5, 2.5f, -9}, y.toArray());
    }

    @Test
    void batchNormMatchesTheTextbookFormulaOnLargeBatches() {
        Random rnd = new Random(11);
        int c = 5;
        Shape s = Shape.of(3, c, 17, 31); // large enough to run on both threads
        float[] x = randomValues(rnd, s.numel());
        float[] mean = randomValues(rnd, c);
        float[] var = new float[c];
        for (int i = 0; i < c; i++) {
            var[i] = rnd.nextFloat() + 0.1f;
        }
        float[] gamma = randomValues(rnd, c);
        float[] beta = randomValues(rnd, c);
        float eps = 1e-5f;
        float[] y = DEVICE.batchNorm(DEVICE.fromArray(s, x), vec(mean), vec(var), vec(gamma), vec(beta), eps)
                .toArray();
        int inner = 17 * 31;
        for (int i = 0; i < x.length; i++) {
            int ch = i / inner % c;
            double expected = (x[i] - mean[ch]) / Math.sqrt(var[ch] + eps) * gamma[ch] + beta[ch];
            assertEquals(expected, y[i], 2e-6 * (1 + Math.abs(expected)), "element " + i);
        }
    }

    @Test
    void batchNormRejectsWrongParameterShapes() {
        Tensor x = DEVICE.zeros(Shape.of(2, 3, 4, 4));
        var e = assertThrows(IllegalArgumentException.class,
                () -> DEVICE.batchNorm(x, vec(0, 0, 0), vec(1, 1), vec(1, 1, 1), vec(0, 0, 0), 1e-5f));
        assertTrue(e.getMessage().contains("batchNorm") && e.getMessage().contains("(2,3,4,4)"), e.getMessage());
        var rank1 = assertThrows(IllegalArgumentException.class,
                () -> DEVICE.batchNorm(vec(1, 2, 3), vec(0), vec(1), vec(1), vec(0), 1e-5f));
        assertTrue(rank1.getMessage().contains("batchNorm"), rank1.getMessage());
    }

    @Test
    void addBroadcastsChannelBiasOverNchw() {
        Tensor x = t(Shape.of(2, 2, 1, 2), 1, 2, 3, 4, 5, 6, 7, 8);
        Tensor bias = t(Shape.of(2, 1, 1), 10, 20);
        assertArrayEquals(new float[] {11, 12, 23, 24, 15, 16, 27, 28}, DEVICE.add(x, bias).toArray());
        assertArrayEquals(new float[] {11, 12, 23, 24, 15, 16, 27, 28}, DEVICE.add(bias, x).toArray());
    }

    @Test
    void mulBroadcastsPerImagePerChannelFactors() {
        Tensor x = t(Shape.of(2, 2, 1, 2), 1, 2, 3, 4, 5, 6, 7, 8);
        Tensor f = t(Shape.of(2, 2, 1, 1), 1, 10, 100, -1);
        assertArrayEquals(new float[] {1, 2, 30, 40, 500, 600, -7, -8}, DEVICE.mul(x, f).toArray());
    }

    @Test
    void outerProductFromTwoBroadcastAxes() {
        Tensor col = t(Shape.of(3, 1), 1, 2, 3);
        Tensor row = t(Shape.of(1, 4), 1, 10, 100, 1000);
        Tensor y = DEVICE.mul(col, row);
        assertEquals(Shape.of(3, 4), y.shape());
        assertArrayEquals(new float[] {1, 10, 100, 1000, 2, 20, 200, 2000, 3, 30, 300, 3000}, y.toArray());
        assertArrayEquals(new float[] {2, 11, 101, 1001, 3, 12, 102, 1002, 4, 13, 103, 1003},
                DEVICE.add(col, row).toArray());
    }

    @Test
    void scalarTensorBroadcastsEverywhere() {
        Tensor x = t(Shape.of(1, 2, 2, 1), 1, 2, 3, 4);
        Tensor y = DEVICE.add(vec(0.5f), x);
        assertEquals(Shape.of(1, 2, 2, 1), y.shape());
        assertArrayEquals(new float[] {1.5f, 2.5f, 3.5f, 4.5f}, y.toArray());
        assertArrayEquals(new float[] {6}, DEVICE.mul(vec(2), vec(3)).toArray());
    }

    @Test
    void incompatibleShapesNameOpAndShapes() {
        Tensor a = DEVICE.zeros(Shape.of(2, 3, 4));
        Tensor b = DEVICE.zeros(Shape.of(2, 4));
        var e = assertThrows(IllegalArgumentException.class, () -> DEVICE.add(a, b));
        assertTrue(e.getMessage().startsWith("add:") && e.getMessage().contains("(2,3,4)")
                && e.getMessage().contains("(2,4)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DEVICE.mul(a, b));
        assertTrue(e.getMessage().startsWith("mul:"), e.getMessage());
    }

    @Test
    void divFollowsIeeeForZerosInfinitiesAndNaN() {
        Tensor a = vec(1, -1, 0, -0f, NAN, INF, 1, -0f, INF, 6, 1, 1, -0f, 0, 3e38f, 0x1p-126f);
        Tensor b = vec(0, 0, 0, 0, 0, 0, -0f, -0f, INF, -4, 3, -INF, 5, -5, 0.5f, 1024);
        float[] y = DEVICE.div(a, b).toArray();
        // torch.div(a, b) in torch 1.13 gives the same: inf, -inf, nan, nan, nan, inf, -inf, nan, nan, -1.5, ...
        float[] expected = {INF, -INF, NAN, NAN, NAN, INF, -INF, NAN, NAN, -1.5f, 0.33333334f, -0f, -0f, -0f, INF,
            0x1p-136f}; // overflow to inf, and a subnormal quotient kept (no flush to zero)
        assertArrayEquals(expected, y);
        for (int i = 0; i < y.length; i++) { // assertArrayEquals already tells -0.0 from 0.0; make it explicit
            assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(y[i]), "element " + i);
        }
    }

    @Test
    void divIsCorrectlyRoundedNotAReciprocalMultiply() {
        // a * (1 / b) rounds twice: 0.3f * (1 / 3f) = 0.10000001f and 5f * (1 / 3f) = 1.6666667f; torch gives
        // the correctly rounded 0.1f and 1.6666666f, also for a broadcast divisor
        assertArrayEquals(new float[] {0.1f, 1.6666666f}, DEVICE.div(vec(0.3f, 5), vec(3)).toArray());
        assertArrayEquals(new float[] {0.1f, 1.6666666f}, DEVICE.div(vec(0.3f, 5), vec(3, 3)).toArray());
    }

    @Test
    void divBroadcastsDivisorAndDividend() {
        Tensor x = t(Shape.of(2, 2, 1, 2), 1, 2, 3, 4, 5, 6, 7, 8);
        Tensor perChannel = t(Shape.of(2, 1, 1), 2, -4);
        assertArrayEquals(new float[] {0.5f, 1, -0.75f, -1, 2.5f, 3, -1.75f, -2}, DEVICE.div(x, perChannel).toArray());
        // the dividend broadcast: each channel's value over every pixel, a row loop of its own
        assertArrayEquals(new float[] {2, 1, -4f / 3, -1, 0.4f, 2f / 6, -4f / 7, -0.5f},
                DEVICE.div(perChannel, x).toArray());
        Tensor col = t(Shape.of(3, 1), 1, 0, -2);
        Tensor row = t(Shape.of(1, 4), 1, -0f, 4, INF);
        assertArrayEquals(new float[] {1, -INF, 0.25f, 0, 0, NAN, 0, 0, -2, INF, -0.5f, -0f},
                DEVICE.div(col, row).toArray());
        assertArrayEquals(new float[] {0.5f, 0.25f}, DEVICE.div(vec(1), vec(2, 4)).toArray());
        assertArrayEquals(new float[] {3}, DEVICE.div(vec(6), vec(2)).toArray());
    }

    @Test
    void divRejectsIncompatibleShapes() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> DEVICE.div(DEVICE.zeros(Shape.of(2, 3, 4)), DEVICE.zeros(Shape.of(2, 4))));
        assertTrue(e.getMessage().startsWith("div:") && e.getMessage().contains("(2,3,4)")
                && e.getMessage().contains("(2,4)"), e.getMessage());
    }

    @Test
    void absClearsTheSignAndKeepsNaN() {
        float[] y = DEVICE.abs(t(Shape.of(2, 4), -3, -0f, 0, 2.5f, NAN, -INF, INF, -1e-45f)).toArray();
        assertArrayEquals(new float[] {3, 0, 0, 2.5f, NAN, INF, INF, 1e-45f}, y);
        assertEquals(0, Float.floatToRawIntBits(y[1]), "abs(-0.0) is +0.0");
    }

    @Test
    void signFollowsTorchIncludingNegativeZeroAndNaN() {
        float[] y = DEVICE.sign(vec(-3, -0f, 0, 2.5f, NAN, -INF, INF, 1e-45f, -1e-45f)).toArray();
        // torch 1.13: sign(-0.0) = 0.0 and sign(nan) = 0.0 (pytorch/pytorch#41245)
        assertArrayEquals(new float[] {-1, 0, 0, 1, 0, -1, 1, 1, -1}, y);
        assertEquals(0, Float.floatToRawIntBits(y[1]), "sign(-0.0) is +0.0");
        assertEquals(0, Float.floatToRawIntBits(y[4]), "sign(NaN) is +0.0");
    }

    @Test
    void absAndSignRecomposeTheInput() {
        float[] x = randomValues(new Random(4), 2000);
        Tensor tx = DEVICE.fromArray(Shape.of(2000), x);
        float[] recomposed = DEVICE.mul(DEVICE.sign(tx), DEVICE.abs(tx)).toArray();
        assertArrayEquals(x, recomposed); // exact: sign is +-1 (no input is 0 here)
    }

    /** Pairs of shapes that broadcast: a random output shape, each input dropping leading axes or setting 1s. */
    @Provide
    Arbitrary<Shape[]> broadcastablePairs() {
        Arbitrary<int[]> outDims = Arbitraries.integers().between(1, 7).array(int[].class).ofMinSize(1).ofMaxSize(5);
        Arbitrary<Long> masks = Arbitraries.longs();
        return Combinators.combine(outDims, masks, masks).as((dims, maskA, maskB) -> new Shape[] {
            derived(dims, maskA), derived(dims, maskB)});
    }

    private static Shape derived(int[] out, long mask) {
        int drop = (int) Math.floorMod(mask, (long) out.length); // leading axes left out
        int[] d = new int[out.length - drop];
        for (int i = 0; i < d.length; i++) {
            d[i] = (mask >>> (8 + i) & 1) == 1 ? 1 : out[i + drop];
        }
        return Shape.of(d);
    }

    @Property(tries = 150)
    void broadcastingMatchesANaiveMultiIndexLoop(@ForAll("broadcastablePairs") Shape[] pair, @ForAll long seed) {
        Random rnd = new Random(seed);
        Shape sa = pair[0];
        Shape sb = pair[1];
        float[] a = randomValues(rnd, sa.numel());
        float[] b = randomValues(rnd, sb.numel());
        Tensor ta = DEVICE.fromArray(sa, a);
        Tensor tb = DEVICE.fromArray(sb, b);
        Tensor sum = DEVICE.add(ta, tb);
        Tensor product = DEVICE.mul(ta, tb);
        Tensor quotient = DEVICE.div(ta, tb);
        Shape out = sum.shape();
        assertEquals(out, product.shape());
        assertEquals(out, quotient.shape());
        float[] s = sum.toArray();
        float[] p = product.toArray();
        float[] q = quotient.toArray();
        for (int i = 0; i < out.numel(); i++) {
            float x = a[naiveSourceIndex(i, out, sa)];
            float y = b[naiveSourceIndex(i, out, sb)];
            assertEquals(x + y, s[i], "sum " + sa + "+" + sb + " at " + i);
            assertEquals(x * y, p[i], "product " + sa + "*" + sb + " at " + i);
            assertEquals(x / y, q[i], "quotient " + sa + "/" + sb + " at " + i);
        }
    }

    /** Index into {@code in} of output element {@code flat}: right-aligned axes, size-1 axes read index 0. */
    private static int naiveSourceIndex(int flat, Shape out, Shape in) {
        int[] od = out.dims();
        int[] coord = new int[od.length];
        for (int k = od.length - 1; k >= 0; k--) {
            coord[k] = flat % od[k];
            flat /= od[k];
        }
        int index = 0;
        int offset = od.length - in.rank();
        for (int k = 0; k < in.rank(); k++) {
            int dim = in.dim(k);
            index = index * dim + (dim == 1 ? 0 : coord[k + offset]);
        }
        return index;
    }

    @Test
    void largeTensorsGiveTheSameResultOnManyThreads() {
        Random rnd = new Random(5);
        Shape s = Shape.of(2, 16, 45, 65);
        float[] x = randomValues(rnd, s.numel());
        float[] bias = randomValues(rnd, 16);
        float[] sum = DEVICE.add(DEVICE.fromArray(s, x), DEVICE.fromArray(Shape.of(16, 1, 1), bias)).toArray();
        float[] relu = DEVICE.relu(DEVICE.fromArray(s, x)).toArray();
        for (int i = 0; i < x.length; i++) {
            assertEquals(x[i] + bias[i / (45 * 65) % 16], sum[i]);
            assertEquals(Math.max(0, x[i]), relu[i]);
        }
    }

    @Test
    void largeDivisionsGiveTheSameResultOnManyThreads() {
        Random rnd = new Random(6);
        Shape s = Shape.of(2, 16, 45, 65);
        float[] x = randomValues(rnd, s.numel());
        float[] perChannel = randomValues(rnd, 16);
        perChannel[3] = 0; // a whole channel divided by zero, and 0 / x
        Tensor tx = DEVICE.fromArray(s, x);
        Tensor tc = DEVICE.fromArray(Shape.of(16, 1, 1), perChannel);
        float[] byChannel = DEVICE.div(tx, tc).toArray();
        float[] ofChannel = DEVICE.div(tc, tx).toArray();
        for (int i = 0; i < x.length; i++) {
            float c = perChannel[i / (45 * 65) % 16];
            assertEquals(x[i] / c, byChannel[i]);
            assertEquals(c / x[i], ofChannel[i]);
        }
    }
}
