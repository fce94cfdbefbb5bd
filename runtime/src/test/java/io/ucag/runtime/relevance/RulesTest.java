package io.ucag.runtime.relevance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.java.JavaDevice;
import io.ucag.runtime.ops.Conv2dParams;
import java.util.Random;
import java.util.function.IntToDoubleFunction;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Each rule on a dense layer against a double-precision replica written from the paper's sum formula, over random
 * signed inputs, weights, biases and relevances (zennit's test_rules.py style); and the stabiliser.
 */
class RulesTest {
    private static final JavaDevice D = new JavaDevice(1);
    private static final int N = 2;
    private static final int K = 7; // inputs
    private static final int M = 5; // outputs
    private static final double E = Stabilizer.DEFAULT_EPSILON;

    /** One random dense layer and the tensors of a rule call. */
    private record Case(float[] x, float[] w, float[] b, float[] r) {
        static Case random(long seed, boolean nonNegativeInput) {
            Random rng = new Random(seed);
            float[] x = values(rng, N * K);
            if (nonNegativeInput) {
                for (int i = 0; i < x.length; i++) {
                    x[i] = Math.max(0, x[i]);
                }
            }
            return new Case(x, values(rng, M * K), values(rng, M), values(rng, N * M));
        }

        private static float[] values(Random rng, int n) {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = (float) rng.nextGaussian();
            }
            return v;
        }

        double x(int n, int i) {
            return x[n * K + i];
        }

        double w(int j, int i) {
            return w[j * K + i];
        }

        float[] run(Rule rule, boolean nonNegativeInput) {
            try (TensorScope scope = TensorScope.open()) {
                AffineLayer layer = new AffineLayer("dense", new AffineOp.Dense(), D.fromArray(Shape.of(M, K), w),
                        D.fromArray(Shape.of(M), b), nonNegativeInput);
                Tensor out = rule.relevance(D, layer, D.fromArray(Shape.of(N, K), x), D.fromArray(Shape.of(N, M), r));
                return out.toArray();
            }
        }
    }

    private static double pos(double v) {
        return Math.max(v, 0);
    }

    private static double neg(double v) {
        return Math.min(v, 0);
    }

    private static double stab(double z, double e) {
        return z + e * (z >= 0 ? 1 : -1);
    }

    /** {@code R_i = sum_j share(n, j, i) * R_j} for every item and input. */
    @FunctionalInterface
    private interface Share {
        double of(int n, int j, int i);
    }

    private static void assertRule(Case c, float[] actual, Share share, String what) {
        double scale = 0;
        double[] expected = new double[N * K];
        for (int n = 0; n < N; n++) {
            for (int i = 0; i < K; i++) {
                double sum = 0;
                for (int j = 0; j < M; j++) {
                    sum += share.of(n, j, i) * c.r[n * M + j];
                }
                expected[n * K + i] = sum;
                scale = Math.max(scale, Math.abs(sum));
            }
        }
        for (int k = 0; k < expected.length; k++) {
            assertEquals(expected[k], actual[k], 1e-5 * Math.max(1, scale), what + " element " + k);
        }
    }

    /** {@code sum_i f(n, j, i)} as a function of (n, j). */
    private static double total(int n, int j, Share f) {
        double s = 0;
        for (int i = 0; i < K; i++) {
            s += f.of(n, j, i);
        }
        return s;
    }

    @Property(tries = 30)
    void epsilon(@ForAll @IntRange(min = 0, max = 10000) int seed) {
        Case c = Case.random(seed, false);
        double eps = 0.25;
        assertRule(c, c.run(new Epsilon((float) eps), false), (n, j, i) -> c.x(n, i) * c.w(j, i)
                / stab(total(n, j, (n2, j2, i2) -> c.x(n2, i2) * c.w(j2, i2)) + c.b[j], eps), "epsilon");
    }

    @Property(tries = 30)
    void alphaBeta(@ForAll @IntRange(min = 0, max = 10000) int seed, @ForAll boolean nonNegativeInput) {
        Case c = Case.random(seed, nonNegativeInput);
        for (float[] ab : new float[][] {{1, 0}, {2, 1}, {1.5f, 0.5f}}) {
            Share up = (n, j, i) -> pos(c.x(n, i)) * pos(c.w(j, i)) + neg(c.x(n, i)) * neg(c.w(j, i));
            Share down = (n, j, i) -> pos(c.x(n, i)) * neg(c.w(j, i)) + neg(c.x(n, i)) * pos(c.w(j, i));
            assertRule(c, c.run(new AlphaBeta(ab[0], ab[1]), nonNegativeInput), (n, j, i) ->
                    ab[0] * up.of(n, j, i) / stab(total(n, j, up) + pos(c.b[j]), E)
                    - ab[1] * down.of(n, j, i) / stab(total(n, j, down) + neg(c.b[j]), E), "alpha-beta " + ab[0]);
        }
        assertRule(c, c.run(new ZPlus(), nonNegativeInput), (n, j, i) -> {
            Share up = (n2, j2, i2) -> pos(c.x(n2, i2)) * pos(c.w(j2, i2)) + neg(c.x(n2, i2)) * neg(c.w(j2, i2));
            return up.of(n, j, i) / stab(total(n, j, up) + pos(c.b[j]), E);
        }, "z-plus");
    }

    @Property(tries = 30)
    void gamma(@ForAll @IntRange(min = 0, max = 10000) int seed, @ForAll boolean nonNegativeInput) {
        Case c = Case.random(seed, nonNegativeInput);
        double g = 0.25;
        IntToDoubleFunction zOf = k -> { // z of (n, j) = k / M, k % M
            int n = k / M;
            int j = k % M;
            return total(n, j, (n2, j2, i2) -> c.x(n2, i2) * c.w(j2, i2)) + c.b[j];
        };
        Share up = (n, j, i) -> pos(c.x(n, i)) * (c.w(j, i) + g * pos(c.w(j, i)))
                + neg(c.x(n, i)) * (c.w(j, i) + g * neg(c.w(j, i)));
        Share down = (n, j, i) -> pos(c.x(n, i)) * (c.w(j, i) + g * neg(c.w(j, i)))
                + neg(c.x(n, i)) * (c.w(j, i) + g * pos(c.w(j, i)));
        assertRule(c, c.run(new Gamma((float) g), nonNegativeInput), (n, j, i) -> {
            double z = zOf.applyAsDouble(n * M + j);
            if (z > 0) {
                return up.of(n, j, i) / stab(total(n, j, up) + c.b[j] + g * pos(c.b[j]), E);
            }
            return z < 0 ? down.of(n, j, i) / stab(total(n, j, down) + c.b[j] + g * neg(c.b[j]), E) : 0;
        }, "gamma");
    }

    @Property(tries = 30)
    void zBoxFlatAndWSquare(@ForAll @IntRange(min = 0, max = 10000) int seed) {
        Case c = Case.random(seed, false);
        double low = -2.5;
        double high = 3;
        Share box = (n, j, i) -> c.x(n, i) * c.w(j, i) - low * pos(c.w(j, i)) - high * neg(c.w(j, i));
        assertRule(c, c.run(new ZBox(new float[] {(float) low}, new float[] {(float) high}), false),
                (n, j, i) -> box.of(n, j, i) / stab(total(n, j, box), E), "z-box");
        assertRule(c, c.run(new Flat(), false), (n, j, i) -> 1 / stab(K, E), "flat");
        Share square = (n, j, i) -> c.w(j, i) * c.w(j, i);
        assertRule(c, c.run(new WSquare(), false), (n, j, i) -> square.of(n, j, i) / stab(total(n, j, square), E),
                "w-square");
    }

    /**
     * relevancePlus (a residual block's other path added in the rule's last store) is the rule's relevance plus the
     * addend, the very floats, for every rule on a convolution and a dense layer, signed and non-negative inputs.
     */
    @Property(tries = 20)
    void relevancePlusAddsTheAddend(@ForAll @IntRange(min = 0, max = 10000) int seed, @ForAll boolean nonNegative) {
        Random rng = new Random(seed);
        Rule[] rules = {new AlphaBeta(1, 0), new AlphaBeta(2, 1), new ZPlus(), new Epsilon(0.25f), new Gamma(0.25f)};
        try (TensorScope scope = TensorScope.open()) {
            Shape xs = Shape.of(2, 3, 5, 5);
            Tensor x = D.fromArray(xs, signed(rng, xs.numel(), nonNegative));
            Tensor w = D.fromArray(Shape.of(4, 3, 3, 3), signed(rng, 108, false));
            Tensor b = D.fromArray(Shape.of(4), signed(rng, 4, false));
            AffineLayer conv = new AffineLayer("conv", new AffineOp.Convolution(Conv2dParams.of(1, 1)), w, b,
                    nonNegative);
            Tensor r = D.fromArray(Shape.of(2, 4, 5, 5), signed(rng, 200, false));
            Tensor addend = D.fromArray(xs, signed(rng, xs.numel(), false));
            for (Rule rule : rules) {
                float[] expected = D.add(rule.relevance(D, conv, x, r), addend).toArray();
                assertArrayEquals(expected, rule.relevancePlus(D, conv, x, r, addend).toArray(), rule.name());
            }
        }
    }

    private static float[] signed(Random rng, int n, boolean nonNegative) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rng.nextGaussian();
            v[i] = nonNegative ? Math.abs(v[i]) : v[i];
        }
        return v;
    }

    @Test
    void stabilizerIsSignAwareAndNeverDividesByZero() {
        try (TensorScope scope = TensorScope.open()) {
            Tensor z = D.fromArray(Shape.of(5), new float[] {-2f, -0f, 0f, 1e-30f, 3f});
            float[] eps = Stabilizer.stabilize(D, z, 0.5f).toArray();
            assertEquals(-2.5f, eps[0]);
            assertEquals(0.5f, eps[1]);
            assertEquals(0.5f, eps[2]);
            assertEquals(0.5f, eps[3]);
            assertEquals(3.5f, eps[4]);
            float[] lrp0 = Stabilizer.stabilize(D, z, 0f).toArray();
            assertEquals(-2f, lrp0[0]);
            assertEquals(1f, lrp0[1]);
            assertEquals(1f, lrp0[2]);
            assertEquals(1e-30f, lrp0[3]);
            Tensor zeros = D.zeros(Shape.of(3));
            for (float e : new float[] {0f, 1e-6f, 0.25f}) {
                for (float v : Stabilizer.divide(D, D.fromArray(Shape.of(3), new float[] {0f, 1f, -1f}), zeros, e)
                        .toArray()) {
                    assertTrue(Float.isFinite(v), "epsilon " + e + " gave " + v);
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new Epsilon(-1f));
        assertThrows(IllegalArgumentException.class, () -> new AlphaBeta(2, 0));
        assertThrows(IllegalArgumentException.class, () -> new Gamma(Float.NaN));
        assertThrows(IllegalArgumentException.class, () -> new ZBox(new float[] {1}, new float[] {0}));
    }

    /**
     * A residual sum's shares under alpha1-beta0: each positive term's share of R in proportion, conserving R up to
     * the stabiliser's part; negative terms get nothing.
     */
    @Property(tries = 50)
    void positiveSumSharesConserveRelevance(@ForAll @IntRange(min = 0, max = 10000) int seed) {
        Random rnd = new Random(seed);
        int n = 64;
        float[] a = new float[n];
        float[] b = new float[n];
        float[] r = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = rnd.nextInt(5) == 0 ? 0 : (float) rnd.nextGaussian();
            b[i] = (float) rnd.nextGaussian();
            r[i] = (float) rnd.nextGaussian();
        }
        float eps = (float) E;
        try (TensorScope scope = TensorScope.open()) {
            Shape s = Shape.of(n);
            Tensor[] shares = Redistribution.positiveSumShares(D, D.fromArray(s, a), D.fromArray(s, b),
                    D.fromArray(s, r), eps);
            float[] sa = shares[0].toArray();
            float[] sb = shares[1].toArray();
            for (int i = 0; i < n; i++) {
                double ap = Math.max(0, a[i]);
                double bp = Math.max(0, b[i]);
                double z = ap + bp + eps;
                assertEquals(ap * r[i] / z, sa[i], 1e-6 * Math.abs(r[i]) + 1e-12, "a's share " + i);
                assertEquals(bp * r[i] / z, sb[i], 1e-6 * Math.abs(r[i]) + 1e-12, "b's share " + i);
                // conserved but for the stabiliser's part: R (a+ + b+) / (a+ + b+ + eps)
                assertEquals(r[i] * (ap + bp) / z, sa[i] + sb[i], 1e-6 * Math.abs(r[i]) + 1e-12, "conserved at " + i);
            }
        }
    }
}
