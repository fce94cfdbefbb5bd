package io.ucag.runtime.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.java.JavaDevice;
import io.ucag.runtime.ops.Conv2dParams;
import io.ucag.runtime.ops.Pool2dParams;
import io.ucag.runtime.ops.ReduceOp;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The tape's bookkeeping: what is recorded, how gradients flow, add up, and stop. */
class TapeTest {
    // not closed after the JUnit tests: jqwik runs this class's properties after JUnit's @AfterAll
    private static final JavaDevice BASE = new JavaDevice(2);

    private static Tensor random(Random rng, int... dims) {
        Shape s = Shape.of(dims);
        float[] v = new float[s.numel()];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextFloat() * 2 - 1;
        }
        return BASE.fromArray(s, v);
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    /** A bias-free ReLU network is positively homogeneous of degree 1: sum(x * dlogit/dx) = logit (Euler). */
    @Property(tries = 15)
    void eulerIdentityOfABiasFreeReluNetwork(@ForAll @IntRange(min = 0, max = 1_000_000) int seed,
                                             @ForAll @IntRange(min = 1, max = 3) int batch) {
        Random rng = new Random(seed);
        try (TensorScope scope = TensorScope.open(); Tape tape = new Tape()) {
            Device d = tape.on(BASE);
            Tensor x = tape.watch(random(rng, batch, 3, 11, 9));
            Tensor h = d.relu(d.conv2d(x, random(rng, 6, 3, 3, 3), null, Conv2dParams.of(1, 1)));
            h = d.maxPool2d(h, Pool2dParams.of(2, 2, 0).withCeilMode(true));
            h = d.relu(d.conv2d(h, random(rng, 8, 6, 3, 3), null, Conv2dParams.of(2, 1)));
            h = d.add(h, d.scale(h, 0.5f)); // a residual-style reuse of h
            h = d.reshape(d.adaptiveAvgPool2d(h, 1, 1), Shape.of(batch, 8));
            Tensor logits = d.linear(h, random(rng, 5, 8), null);
            float[] seedValues = new float[batch * 5];
            int target = rng.nextInt(5);
            for (int n = 0; n < batch; n++) {
                seedValues[n * 5 + target] = 1; // one-hot on each item's target logit
            }
            float[] logitValues = logits.toArray();
            try (Gradients g = tape.backward(logits, BASE.fromArray(logits.shape(), seedValues))) {
                float[] grad = g.of(x).toArray();
                float[] input = x.toArray();
                int per = 3 * 11 * 9;
                for (int n = 0; n < batch; n++) {
                    double euler = 0;
                    for (int i = n * per; i < (n + 1) * per; i++) {
                        euler += (double) input[i] * grad[i];
                    }
                    double logit = logitValues[n * 5 + target];
                    assertEquals(logit, euler, 1e-4 * Math.max(1, Math.abs(logit)), "item " + n);
                }
            }
        }
    }

    @Test
    void gradientsOfAReusedTensorAddUp() {
        try (TensorScope scope = TensorScope.open(); Tape tape = new Tape()) {
            Device d = tape.on(BASE);
            Tensor x = tape.watch(BASE.fromArray(Shape.of(4), new float[] {-2, -0.5f, 0.5f, 3}));
            Tensor y = d.add(d.relu(x), d.mul(x, x)); // dy/dx = [x > 0] + 2x
            try (Gradients g = tape.backward(y, BASE.fromArray(Shape.of(4), new float[] {1, 1, 1, 1}))) {
                assertArrayEquals(new float[] {-4, -1, 2, 7}, g.of(x).toArray(), 1e-6f);
            }
        }
    }

    @Test
    void linearGivesInputWeightAndBiasGradients() {
        try (TensorScope scope = TensorScope.open(); Tape tape = new Tape()) {
            Device d = tape.on(BASE);
            Tensor x = tape.watch(BASE.fromArray(Shape.of(2, 3), new float[] {1, 2, 3, 4, 5, 6}));
            Tensor w = tape.watch(BASE.fromArray(Shape.of(2, 3), new float[] {1, 0, -1, 2, 1, 0}));
            Tensor b = tape.watch(BASE.fromArray(Shape.of(2), new float[] {0.5f, -0.5f}));
            Tensor y = d.linear(x, w, b);
            Tensor seed = BASE.fromArray(Shape.of(2, 2), new float[] {1, 2, 3, 4});
            try (Gradients g = tape.backward(y, seed)) {
                // dx = seed W = [[1+4, 2, -1], [3+8, 4, -3]]; dW = seed^T x; db = column sums of seed
                assertArrayEquals(new float[] {5, 2, -1, 11, 4, -3}, g.of(x).toArray(), 1e-6f);
                assertArrayEquals(new float[] {13, 17, 21, 18, 24, 30}, g.of(w).toArray(), 1e-6f);
                assertArrayEquals(new float[] {4, 6}, g.of(b).toArray(), 1e-6f);
            }
        }
    }

    @Test
    void watchingAnActivationRecordsNothingBelowIt() {
        Random rng = new Random(7);
        try (TensorScope scope = TensorScope.open(); Tape tape = new Tape()) {
            Device d = tape.on(BASE);
            Tensor x = random(rng, 1, 2, 6, 6);
            Tensor act = d.relu(d.conv2d(x, random(rng, 4, 2, 3, 3), null, Conv2dParams.of(1, 1)));
            assertFalse(tape.requiresGrad(act), "nothing watched yet: plain inference");
            tape.watch(act);
            Tensor pooled = d.reduce(act, ReduceOp.MEAN, new int[] {2, 3}, false); // (1,4)
            Tensor score = d.reduce(pooled, ReduceOp.SUM, new int[] {1}, false);   // (1)
            try (Gradients g = tape.backward(score, BASE.fromArray(Shape.of(1), new float[] {1}))) {
                float[] grad = g.of(act).toArray();
                for (float v : grad) {
                    assertEquals(1f / 36, v, 1e-7f); // d mean / d element
                }
                assertThrows(IllegalArgumentException.class, () -> g.of(x), "x was never watched");
            }
            assertFalse(tape.requiresGrad(score), "backward consumes the recording");
        }
    }

    @Test
    void noGradSuspendsRecordingAndBackwardNeedsAWatchedPath() throws Exception {
        try (TensorScope scope = TensorScope.open(); Tape tape = new Tape()) {
            Device d = tape.on(BASE);
            Tensor x = tape.watch(BASE.fromArray(Shape.of(2), new float[] {1, 2}));
            Tensor y;
            try (AutoCloseable off = tape.noGrad()) {
                y = d.exp(x);
            }
            assertFalse(tape.requiresGrad(y));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> tape.backward(y, BASE.fromArray(Shape.of(2), new float[] {1, 1})));
            assertTrue(e.getMessage().contains("watch"), e.getMessage());
            Tensor z = d.exp(x);
            IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                    () -> tape.backward(z, BASE.fromArray(Shape.of(1), new float[] {1})));
            assertTrue(shape.getMessage().startsWith("backward:"), shape.getMessage());
        }
    }

    @Test
    void gradientsSurviveTheScopeTheyWereComputedIn() {
        Gradients g;
        Tensor x;
        try (Tape tape = new Tape()) {
            try (TensorScope scope = TensorScope.open()) {
                Device d = tape.on(BASE);
                x = scope.keep(tape.watch(BASE.fromArray(Shape.of(3), new float[] {1, 2, 3})));
                Tensor y = d.scale(x, 3f);
                g = tape.backward(y, BASE.fromArray(Shape.of(3), new float[] {1, 1, 1}));
            }
        }
        assertArrayEquals(new float[] {3, 3, 3}, g.of(x).toArray());
        g.close();
        x.close();
    }

    @Test
    void matmulGradientsForEveryTransposeCombination() {
        Random rng = new Random(3);
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                try (TensorScope scope = TensorScope.open(); Tape tape = new Tape()) {
                    Device d = tape.on(BASE);
                    Tensor a = tape.watch(ta ? random(rng, 4, 3) : random(rng, 3, 4));
                    Tensor b = tape.watch(tb ? random(rng, 5, 4) : random(rng, 4, 5));
                    Tensor y = d.matmul(a, b, ta, tb);
                    Tensor seed = random(rng, 3, 5);
                    float[] s = seed.toArray();
                    float[] av = a.toArray();
                    float[] bv = b.toArray();
                    try (Gradients g = tape.backward(y, seed)) {
                        float[] ga = g.of(a).toArray();
                        float[] gb = g.of(b).toArray();
                        // L = sum(seed * op(a) op(b)) is bilinear: dL/da . a = L = dL/db . b
                        double loss = dot(s, y.toArray());
                        assertEquals(loss, dot(ga, av), 1e-5, "a, ta=" + ta + " tb=" + tb);
                        assertEquals(loss, dot(gb, bv), 1e-5, "b, ta=" + ta + " tb=" + tb);
                    }
                }
            }
        }
    }
}
