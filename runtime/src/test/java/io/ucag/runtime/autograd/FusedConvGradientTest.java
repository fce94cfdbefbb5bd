package io.ucag.runtime.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.java.JavaDevice;
import io.ucag.runtime.ops.Conv2dParams;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * conv2dFused under autograd: with a watched input, the recording device runs (and records) conv2d, add and relu,
 * so every input gets the gradient of the composition; with nothing watched it runs the base device's fused op and
 * records nothing.
 */
class FusedConvGradientTest {
    private static final JavaDevice BASE = new JavaDevice(2);
    private static final Conv2dParams P = Conv2dParams.of(1, 1);

    @Test
    void gradientsFlowToInputWeightBiasAndResidual() {
        Random rnd = new Random(7);
        float[] x = random(rnd, 2 * 3 * 6 * 6);
        float[] w = random(rnd, 4 * 3 * 3 * 3);
        float[] b = random(rnd, 4);
        float[] r = random(rnd, 2 * 4 * 6 * 6);
        float[] seed = random(rnd, 2 * 4 * 6 * 6);
        float[][] fused = gradients(x, w, b, r, seed, true);
        float[][] composed = gradients(x, w, b, r, seed, false);
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(composed[i], fused[i], "gradient of argument " + i);
        }
        // the residual's gradient is the seed where the output is positive, 0 where the ReLU cut it
        float[] y = BASE.conv2dFused(BASE.fromArray(Shape.of(2, 3, 6, 6), x), BASE.fromArray(Shape.of(4, 3, 3, 3), w),
                BASE.fromArray(Shape.of(4), b), P, BASE.fromArray(Shape.of(2, 4, 6, 6), r), true).toArray();
        for (int i = 0; i < y.length; i++) {
            assertEquals(y[i] > 0 ? seed[i] : 0f, fused[3][i], "residual gradient at " + i);
        }
    }

    @Test
    void nothingWatchedRecordsNothing() {
        try (Tape tape = new Tape(); TensorScope scope = TensorScope.open()) {
            Device rec = tape.on(BASE);
            Tensor y = rec.conv2dFused(BASE.zeros(Shape.of(1, 2, 4, 4)), BASE.zeros(Shape.of(3, 2, 1, 1)), null, P,
                    null, true);
            assertEquals(Shape.of(1, 3, 6, 6), y.shape());
            assertEquals(false, tape.requiresGrad(y));
        }
    }

    /** addRelu, positiveShares and conv2dBackwardInputTimesPlus: recorded as their ops, else the base's fused op. */
    @Test
    void theResidualFusedOpsAreRecordedOrRunOnTheBase() {
        Random rnd = new Random(9);
        Shape s = Shape.of(2, 3, 2, 2);
        float[] a = random(rnd, 24);
        float[] b = random(rnd, 24);
        float[] seed = random(rnd, 24);
        try (Tape tape = new Tape(); TensorScope scope = TensorScope.open()) {
            Device rec = tape.on(BASE);
            Tensor ta = tape.watch(BASE.fromArray(s, a));
            Tensor tb = BASE.fromArray(s, b);
            Tensor y = rec.addRelu(ta, tb);
            try (Gradients g = tape.backward(y, BASE.fromArray(s, seed))) {
                float[] ga = g.of(ta).toArray();
                for (int i = 0; i < ga.length; i++) {
                    assertEquals(a[i] + b[i] > 0 ? seed[i] : 0f, ga[i], "d relu(a + b) / da at " + i);
                }
            }
            assertEquals(false, tape.requiresGrad(rec.addRelu(tb, tb)));
            assertEquals(false, tape.requiresGrad(rec.positiveShares(tb, tb, tb, 1e-6f)[1]));
            Tensor w = BASE.fromArray(Shape.of(4, 3, 1, 1), random(rnd, 12));
            Tensor g = BASE.fromArray(Shape.of(2, 4, 2, 2), random(rnd, 32));
            Tensor sum = rec.conv2dBackwardInputTimesPlus(tb, g, w, Conv2dParams.of(1, 0), tb);
            assertEquals(false, tape.requiresGrad(sum));
            Tensor product = BASE.conv2dBackwardInputTimes(tb, g, w, Conv2dParams.of(1, 0));
            assertArrayEquals(BASE.add(product, tb).toArray(), sum.toArray());
        }
    }

    private static float[][] gradients(float[] x, float[] w, float[] b, float[] r, float[] seed, boolean fused) {
        try (Tape tape = new Tape(); TensorScope scope = TensorScope.open()) {
            Device rec = tape.on(BASE);
            Tensor tx = tape.watch(BASE.fromArray(Shape.of(2, 3, 6, 6), x));
            Tensor tw = tape.watch(BASE.fromArray(Shape.of(4, 3, 3, 3), w));
            Tensor tb = tape.watch(BASE.fromArray(Shape.of(4), b));
            Tensor tr = tape.watch(BASE.fromArray(Shape.of(2, 4, 6, 6), r));
            Tensor y = fused ? rec.conv2dFused(tx, tw, tb, P, tr, true) : rec.relu(rec.add(rec.conv2d(tx, tw, tb, P), tr));
            try (Gradients g = tape.backward(y, BASE.fromArray(y.shape(), seed))) {
                return new float[][] {g.of(tx).toArray(), g.of(tw).toArray(), g.of(tb).toArray(), g.of(tr).toArray()};
            }
        }
    }

    private static float[] random(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return v;
    }
}
