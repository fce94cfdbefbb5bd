package io.ucag.kernels.opencl;

import static io.ucag.kernels.OpenClTestSupport.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.kernels.OpenClTestSupport;
import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.java.JavaDevice;
import java.util.Random;
import java.util.function.BiFunction;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** OpenCL elementwise ops and batch norm == the Java reference, including NaN, infinities and -0.0. */
class ClElementwiseTest {
    /** One thread: no pool to shut down, and the CPU is shared with the OpenCL device. */
    private static final JavaDevice JAVA = new JavaDevice(1);
    private static final float NAN = Float.NaN;
    private static final float INF = Float.POSITIVE_INFINITY;
    private static final float[] SPECIAL = {NAN, INF, -INF, 0f, -0f, -1, 1, 88.8f, -104, 1e-40f, -3e38f};

    /** Random values with the special ones spread over them. */
    private static float[] values(Random rnd, Shape s, boolean special) {
        float[] v = OpenClTestSupport.random(rnd, s);
        for (int i = 0; special && i < v.length; i += 1 + rnd.nextInt(4)) {
            v[i] = SPECIAL[rnd.nextInt(SPECIAL.length)];
        }
        return v;
    }

    /** Bitwise comparison (NaN equals NaN, -0.0 differs from 0.0). */
    private static void assertSameBits(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(actual[i]),
                    what + " element " + i + ": expected " + expected[i] + " got " + actual[i]);
        }
    }

    @Property(tries = 30)
    void unaryOpsMatchJava(@ForAll @IntRange(min = 1, max = 3000) int count, @ForAll long seed) {
        ClDevice cl = OpenClTestSupport.device();
        Shape s = Shape.of(count);
        float[] x = values(new Random(seed), s, true);
        try (TensorScope scope = TensorScope.open()) {
            Tensor xj = JAVA.fromArray(s, x);
            Tensor xc = cl.fromArray(s, x);
            assertSameBits("relu", JAVA.relu(xj).toArray(), cl.relu(xc).toArray());
            assertSameBits("scale", JAVA.scale(xj, -0.37f).toArray(), cl.scale(xc, -0.37f).toArray());
            assertSameBits("clamp", JAVA.clamp(xj, -0.5f, 0.75f).toArray(), cl.clamp(xc, -0.5f, 0.75f).toArray());
            assertSameBits("clamp one-sided", JAVA.clamp(xj, 0, INF).toArray(), cl.clamp(xc, 0, INF).toArray());
            assertClose("exp", JAVA.exp(xj).toArray(), cl.exp(xc).toArray(), 1e-5, 1e-30);
            assertSameBits("abs", JAVA.abs(xj).toArray(), cl.abs(xc).toArray());
            assertSameBits("sign", JAVA.sign(xj).toArray(), cl.sign(xc).toArray());
        }
    }

    /**
     * The fused relevance share equals the ops it replaces (the Java device runs them one by one) bit for bit,
     * with zeros, signed zeros, infinities and NaN among the terms and the relevance.
     */
    @Property(tries = 20)
    void positiveShareEqualsItsOpsBitForBit(@ForAll @IntRange(min = 1, max = 3000) int count, @ForAll long seed) {
        ClDevice cl = OpenClTestSupport.device();
        Random rnd = new Random(seed);
        Shape s = Shape.of(count);
        float[] mine = values(rnd, s, true);
        float[] other = values(rnd, s, true);
        float[] relevance = values(rnd, s, true);
        try (TensorScope scope = TensorScope.open()) {
            for (float step : new float[] {1e-6f, 0.25f}) {
                assertSameBits("positiveShare step " + step, JAVA.positiveShare(JAVA.fromArray(s, mine),
                        JAVA.fromArray(s, other), JAVA.fromArray(s, relevance), step).toArray(),
                        cl.positiveShare(cl.fromArray(s, mine), cl.fromArray(s, other), cl.fromArray(s, relevance),
                                step).toArray());
            }
            var e = assertThrows(IllegalArgumentException.class, () -> cl.positiveShare(cl.fromArray(s, mine),
                    cl.fromArray(Shape.of(count + 1), new float[count + 1]), cl.fromArray(s, relevance), 1e-6f));
            assertTrue(e.getMessage().startsWith("positiveShare:") && e.getMessage().contains("one shape"),
                    e.getMessage());
        }
    }

    /**
     * The plane-wise fused ops (relu(a + b), both shares at once) equal the Java device's ops one by one bit for bit
     * on 4-D tensors whose planes are and are not whole vectors; addRelu broadcasts as add does.
     */
    @Property(tries = 20)
    void fusedResidualOpsEqualTheirOpsBitForBit(@ForAll @IntRange(min = 1, max = 3) int n,
                                                @ForAll @IntRange(min = 1, max = 5) int c,
                                                @ForAll @IntRange(min = 1, max = 21) int h,
                                                @ForAll @IntRange(min = 1, max = 21) int w, @ForAll long seed) {
        ClDevice cl = OpenClTestSupport.device();
        Random rnd = new Random(seed);
        Shape s = Shape.of(n, c, h, w);
        float[] a = values(rnd, s, true);
        float[] b = values(rnd, s, true);
        float[] relevance = values(rnd, s, true);
        try (TensorScope scope = TensorScope.open()) {
            Tensor aj = JAVA.fromArray(s, a);
            Tensor bj = JAVA.fromArray(s, b);
            Tensor rj = JAVA.fromArray(s, relevance);
            Tensor ac = cl.fromArray(s, a);
            Tensor bc = cl.fromArray(s, b);
            Tensor rc = cl.fromArray(s, relevance);
            assertSameBits("addRelu", JAVA.relu(JAVA.add(aj, bj)).toArray(), cl.addRelu(ac, bc).toArray());
            Tensor row = cl.fromArray(Shape.of(w), values(rnd, Shape.of(w), true));
            assertSameBits("addRelu, broadcast", JAVA.relu(JAVA.add(aj, JAVA.fromArray(row.shape(), row.toArray())))
                    .toArray(), cl.addRelu(ac, row).toArray());
            Tensor[] shares = cl.positiveShares(ac, bc, rc, 1e-6f);
            assertSameBits("first share", JAVA.positiveShare(aj, bj, rj, 1e-6f).toArray(), shares[0].toArray());
            assertSameBits("second share", JAVA.positiveShare(bj, aj, rj, 1e-6f).toArray(), shares[1].toArray());
        }
    }

    @Test
    void specialValuesFollowTorch() {
        ClDevice cl = OpenClTestSupport.device();
        try (TensorScope scope = TensorScope.open()) {
            Tensor x = cl.fromArray(Shape.of(5), new float[] {NAN, -0f, -2, INF, -INF});
            assertSameBits("relu", new float[] {NAN, -0f, 0, INF, 0}, cl.relu(x).toArray());
            assertSameBits("clamp", new float[] {NAN, -0f, -1, 1, -1}, cl.clamp(x, -1, 1).toArray());
            assertSameBits("exp", new float[] {NAN, 1, (float) Math.exp(-2), INF, 0},
                    cl.exp(x).toArray());
            assertEquals(INF, cl.exp(cl.fromArray(Shape.of(1), new float[] {88.8f})).toArray()[0]);
        }
    }

    @Test
    void divAbsSignSpecialValuesFollowTorch() {
        ClDevice cl = OpenClTestSupport.device();
        try (TensorScope scope = TensorScope.open()) {
            Tensor a = cl.fromArray(Shape.of(12), new float[] {1, -1, 0, -0f, NAN, INF, 1, INF, 6, 1, -0f, 0x1p-126f});
            Tensor b = cl.fromArray(Shape.of(12), new float[] {0, 0, 0, 0, 0, 0, -0f, INF, -4, -INF, 5, 1024});
            assertSameBits("div", new float[] {INF, -INF, NAN, NAN, NAN, INF, -INF, NAN, -1.5f, -0f, -0f, 0x1p-136f},
                    cl.div(a, b).toArray());
            // correctly rounded, not a * (1 / b): that would give 0.10000001f and 1.6666667f
            assertSameBits("div rounding", new float[] {0.1f, 1.6666666f}, cl.div(
                    cl.fromArray(Shape.of(2), new float[] {0.3f, 5}), cl.fromArray(Shape.of(1), new float[] {3}))
                    .toArray());
            Tensor x = cl.fromArray(Shape.of(7), new float[] {-3, -0f, 0, 2.5f, NAN, -INF, -1e-45f});
            assertSameBits("abs", new float[] {3, 0, 0, 2.5f, NAN, INF, 1e-45f}, cl.abs(x).toArray());
            assertSameBits("sign", new float[] {-1, 0, 0, 1, 0, -1, -1}, cl.sign(x).toArray());
        }
    }

    @Test
    void networkBroadcastPatterns() {
        ClDevice cl = OpenClTestSupport.device();
        Random rnd = new Random(3);
        Shape x = Shape.of(3, 7, 13, 5);
        Shape[][] pairs = {
            {x, Shape.of(7, 1, 1)},       // conv bias
            {x, Shape.of(3, 7, 1, 1)},    // per-image channel weights (CAM)
            {Shape.of(1), x},             // scalar on the left
            {x, x},                       // residual add
            {Shape.of(3, 1, 13, 5), x},   // per-image, per-pixel mask over channels
            {Shape.of(13, 1), Shape.of(1, 5)}, // outer product
            {Shape.of(1, 1, 1, 1), Shape.of(1)},
            {Shape.of(2, 1, 3, 1, 5), Shape.of(4, 1, 6, 1)},         // 5 groups: the _nd kernel
            {Shape.of(2, 1, 3, 1, 5, 1), Shape.of(1, 4, 1, 6, 1, 7)}, // 6 groups, the most a plan has
        };
        for (Shape[] pair : pairs) {
            compareBroadcast(cl, pair[0], pair[1], rnd);
            compareBroadcast(cl, pair[1], pair[0], rnd);
        }
    }

    private static void compareBroadcast(ClDevice cl, Shape sa, Shape sb, Random rnd) {
        compareBroadcast(cl, sa, sb, rnd, false);
    }

    private static void compareBroadcast(ClDevice cl, Shape sa, Shape sb, Random rnd, boolean special) {
        float[] a = values(rnd, sa, special);
        float[] b = values(rnd, sb, special);
        try (TensorScope scope = TensorScope.open()) {
            Tensor aj = JAVA.fromArray(sa, a);
            Tensor bj = JAVA.fromArray(sb, b);
            Tensor ac = cl.fromArray(sa, a);
            Tensor bc = cl.fromArray(sb, b);
            Tensor sum = cl.add(ac, bc);
            assertEquals(JAVA.add(aj, bj).shape(), sum.shape());
            // one rounding per element on both sides: results are bit-identical
            assertSameBits(sa + "+" + sb, JAVA.add(aj, bj).toArray(), sum.toArray());
            assertSameBits(sa + "*" + sb, JAVA.mul(aj, bj).toArray(), cl.mul(ac, bc).toArray());
            // correctly rounded division on both sides (the program is built for it): bit-identical too
            assertSameBits(sa + "/" + sb, JAVA.div(aj, bj).toArray(), cl.div(ac, bc).toArray());
        }
    }

    @Test
    void broadcastsWithZerosInfinitiesAndNaNMatchJava() {
        ClDevice cl = OpenClTestSupport.device();
        Random rnd = new Random(8);
        Shape x = Shape.of(2, 7, 3, 5);
        Shape[][] pairs = {{x, Shape.of(7, 1, 1)}, {x, x}, {Shape.of(1), x},
            {Shape.of(2, 1, 3, 1, 5), Shape.of(4, 1, 6, 1)}};
        for (Shape[] pair : pairs) {
            compareBroadcast(cl, pair[0], pair[1], rnd, true);
            compareBroadcast(cl, pair[1], pair[0], rnd, true);
        }
    }

    /** Pairs of shapes that broadcast: a random output shape, each input dropping leading axes or setting 1s. */
    @Provide
    Arbitrary<Shape[]> broadcastablePairs() {
        Arbitrary<int[]> outDims = Arbitraries.of(1, 2, 3, 5, 7, 13).array(int[].class).ofMinSize(1).ofMaxSize(6);
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

    @Property(tries = 60)
    void randomBroadcastsMatchJava(@ForAll("broadcastablePairs") Shape[] pair, @ForAll long seed) {
        compareBroadcast(OpenClTestSupport.device(), pair[0], pair[1], new Random(seed));
    }

    @Property(tries = 25)
    void batchNormMatchesJava(@ForAll @IntRange(min = 2, max = 5) int rank, @ForAll long seed) {
        ClDevice cl = OpenClTestSupport.device();
        Random rnd = new Random(seed);
        int[] awkward = {1, 3, 7, 13, 2};
        int[] dims = new int[rank];
        for (int i = 0; i < rank; i++) {
            dims[i] = awkward[rnd.nextInt(awkward.length)];
        }
        Shape s = Shape.of(dims);
        int c = dims[1];
        float[] x = values(rnd, s, false);
        float[] mean = values(rnd, Shape.of(c), false);
        float[] var = values(rnd, Shape.of(c), false);
        for (int i = 0; i < c; i++) {
            var[i] = Math.abs(var[i]) + 0.01f;
        }
        float[] gamma = values(rnd, Shape.of(c), false);
        float[] beta = values(rnd, Shape.of(c), false);
        try (TensorScope scope = TensorScope.open()) {
            float[] expected = batchNorm(JAVA, s, x, mean, var, gamma, beta);
            float[] actual = batchNorm(cl, s, x, mean, var, gamma, beta);
            assertClose("batchNorm " + s, expected, actual, 1e-4, 1e-5);
        }
    }

    private static float[] batchNorm(Device d, Shape s, float[] x, float[] mean, float[] var, float[] gamma,
            float[] beta) {
        Shape c = Shape.of(mean.length);
        return d.batchNorm(d.fromArray(s, x), d.fromArray(c, mean), d.fromArray(c, var), d.fromArray(c, gamma),
                d.fromArray(c, beta), 1e-5f).toArray();
    }

    @Test
    void batchNormHandComputed() {
        ClDevice cl = OpenClTestSupport.device();
        try (TensorScope scope = TensorScope.open()) {
            Tensor x = cl.fromArray(Shape.of(1, 2, 2, 3), new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
            BiFunction<Float, Float, Tensor> pair = (p, q) -> cl.fromArray(Shape.of(2), new float[] {p, q});
            Tensor y = cl.batchNorm(x, pair.apply(1f, -2f), pair.apply(4f, 0.25f), pair.apply(2f, -1f),
                    pair.apply(0.5f, 3f), 0);
            assertArrayEquals(new float[] {0.5f, 1.5f, 2.5f, 3.5f, 4.5f, 5.5f, -15, -17, -19, -21, -23, -25},
                    y.toArray());
        }
    }

    @Test
    void badShapesFailLikeJava() {
        ClDevice cl = OpenClTestSupport.device();
        try (TensorScope scope = TensorScope.open()) {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> cl.add(cl.zeros(Shape.of(2, 3, 4)), cl.zeros(Shape.of(2, 4))));
            assertEquals("add: shapes (2,3,4) and (2,4) cannot be broadcast together (axis 1)", e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> cl.mul(cl.zeros(Shape.of(5)), cl.zeros(Shape.of(3))));
            assertEquals("mul: shapes (5) and (3) cannot be broadcast together (axis 0)", e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> cl.div(cl.zeros(Shape.of(5)), cl.zeros(Shape.of(2, 3))));
            assertEquals("div: shapes (5) and (2,3) cannot be broadcast together (axis 1)", e.getMessage());
            Tensor x = cl.zeros(Shape.of(2, 3, 4));
            Tensor two = cl.zeros(Shape.of(2));
            e = assertThrows(IllegalArgumentException.class, () -> cl.batchNorm(x, two, two, two, two, 1e-5f));
            assertEquals("batchNorm: parameter (2) must have shape (3) for input (2,3,4)", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> cl.clamp(x, 1, -1));
        }
    }
}
