package io.ucag.runtime.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.java.JavaDevice;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.DoubleSupplier;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The tape's derivatives of div (with broadcasting), abs and sign on the Java device against central finite
 * differences of {@code L = sum(w * f(inputs))}, with L evaluated in double from the float inputs.
 */
class DivAbsSignGradientTest {
    private static final JavaDevice BASE = new JavaDevice(2);
    /** Finite-difference step; L is smooth in it (divisors stay >= 0.5 from 0, abs inputs >= 0.05). */
    private static final double H = 1e-3;

    @AfterAll
    static void closeDevice() {
        BASE.close();
    }

    /** Uniform in [-1, 1), or in +-[0.5, 1.5) for a divisor. */
    private static float[] values(Random rng, Shape s, boolean divisor) {
        float[] v = new float[s.numel()];
        for (int i = 0; i < v.length; i++) {
            float u = rng.nextFloat();
            v[i] = divisor ? (u + 0.5f) * (rng.nextBoolean() ? 1 : -1) : u * 2 - 1;
        }
        return v;
    }

    /** Index into {@code in} of output element {@code flat} under NumPy broadcasting. */
    private static int source(int flat, Shape out, Shape in) {
        int index = 0;
        int stride = 1;
        for (int k = out.rank() - 1, j = in.rank() - 1; j >= 0; k--, j--) {
            int coord = flat % out.dim(k);
            flat /= out.dim(k);
            if (in.dim(j) != 1) {
                index += coord * stride;
            }
            stride *= in.dim(j);
        }
        return index;
    }

    /** sum_i w_i * a[src_a(i)] / b[src_b(i)] in double. */
    private static double divLoss(double[] a, Shape sa, double[] b, Shape sb, float[] w, Shape out) {
        double sum = 0;
        for (int i = 0; i < w.length; i++) {
            sum += w[i] * (a[source(i, out, sa)] / b[source(i, out, sb)]);
        }
        return sum;
    }

    /** Central difference of {@code loss} along each element of {@code x} (perturbed in place, restored). */
    private static double[] centralDifferences(double[] x, DoubleSupplier loss) {
        double[] grad = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            double saved = x[j];
            x[j] = saved + H;
            double plus = loss.getAsDouble();
            x[j] = saved - H;
            double minus = loss.getAsDouble();
            x[j] = saved;
            grad[j] = (plus - minus) / (2 * H);
        }
        return grad;
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    private static void assertGradient(String what, double[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5 + 1e-4 * Math.abs(expected[i]), what + " element " + i);
        }
    }

    @Test
    void divGradientsMatchFiniteDifferencesWithBroadcasting() {
        Shape[][] pairs = {
            {Shape.of(2, 3, 4), Shape.of(2, 3, 4)},
            {Shape.of(2, 3, 4), Shape.of(3, 1)},    // per-row divisor: its gradient sums over 2 x 4
            {Shape.of(2, 3, 4), Shape.of(4)},
            {Shape.of(2, 3, 4), Shape.of(1)},       // one divisor for everything
            {Shape.of(1, 3, 1), Shape.of(2, 1, 4)}, // both broadcast: a's gradient sums too
            {Shape.of(1), Shape.of(3, 5)},          // a scalar dividend
        };
        Random rng = new Random(21);
        for (Shape[] pair : pairs) {
            Shape sa = pair[0];
            Shape sb = pair[1];
            float[] a = values(rng, sa, false);
            float[] b = values(rng, sb, true);
            try (TensorScope scope = TensorScope.open(); Tape tape = new Tape()) {
                Device d = tape.on(BASE);
                Tensor ta = tape.watch(BASE.fromArray(sa, a));
                Tensor tb = tape.watch(BASE.fromArray(sb, b));
                Tensor y = d.div(ta, tb);
                Shape out = y.shape();
                float[] w = values(rng, out, false);
                try (Gradients g = tape.backward(y, BASE.fromArray(out, w))) {
                    double[] ad = toDouble(a);
                    double[] bd = toDouble(b);
                    String what = sa + "/" + sb;
                    assertGradient("d/da " + what, centralDifferences(ad, () -> divLoss(ad, sa, bd, sb, w, out)),
                            g.of(ta).toArray());
                    assertGradient("d/db " + what, centralDifferences(bd, () -> divLoss(ad, sa, bd, sb, w, out)),
                            g.of(tb).toArray());
                }
            }
        }
    }

    @Test
    void divGradientOfTheDivisorAloneHandComputed() {
        // L = 1 * 6/2 + 1 * 3/2 + 1 * -4/2 with one divisor b = 2: dL/db = -(6 + 3 - 4) / 4 = -1.25
        try (TensorScope scope = TensorScope.open(); Tape tape = new Tape()) {
            Device d = tape.on(BASE);
            Tensor a = BASE.fromArray(Shape.of(3), new float[] {6, 3, -4}); // not watched: no gradient needed
            Tensor b = tape.watch(BASE.fromArray(Shape.of(1), new float[] {2}));
            Tensor y = d.div(a, b);
            try (Gradients g = tape.backward(y, BASE.fromArray(Shape.of(3), new float[] {1, 1, 1}))) {
                assertArrayEquals(new float[] {-1.25f}, g.of(b).toArray());
            }
        }
    }

    /** Gradient of sum(w * f(x)) by the tape, for a unary op of the device. */
    private static float[] unaryGradient(BiFunction<Device, Tensor, Tensor> op, Shape s, float[] x, float[] w) {
        try (TensorScope scope = TensorScope.open(); Tape tape = new Tape()) {
            Device d = tape.on(BASE);
            Tensor tx = tape.watch(BASE.fromArray(s, x));
            Tensor y = op.apply(d, tx);
            try (Gradients g = tape.backward(y, BASE.fromArray(s, w))) {
                return g.of(tx).toArray();
            }
        }
    }

    private static double unaryLoss(double[] x, float[] w, DoubleUnaryOperator f) {
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            sum += w[i] * f.applyAsDouble(x[i]);
        }
        return sum;
    }

    @Test
    void absAndSignGradientsMatchFiniteDifferencesAwayFromZero() {
        Random rng = new Random(22);
        Shape s = Shape.of(3, 7, 5);
        float[] x = values(rng, s, false);
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.copySign(Math.abs(x[i]) + 0.05f, x[i]); // keep the kink at 0 out of reach of H
        }
        float[] w = values(rng, s, false);
        double[] xd = toDouble(x);
        assertGradient("d|x|", centralDifferences(xd, () -> unaryLoss(xd, w, Math::abs)),
                unaryGradient(Device::abs, s, x, w));
        double[] signFd = centralDifferences(xd, () -> unaryLoss(xd, w, Math::signum));
        assertGradient("d sign", signFd, unaryGradient(Device::sign, s, x, w));
        assertArrayEquals(new double[x.length], signFd); // the check above compared against zeros
    }

    @Test
    void absGradientAtZeroIsZeroAsInTorch() {
        // torch: d|x|/dx = sgn(x), 0 at 0 and at -0.0; +-1 elsewhere, and sign's gradient is 0 everywhere
        Shape s = Shape.of(5);
        float[] x = {0, -0f, 2, -3, Float.MIN_VALUE};
        float[] w = {7, 7, 0.5f, 0.5f, 2};
        assertArrayEquals(new float[] {0, 0, 0.5f, -0.5f, 2}, unaryGradient(Device::abs, s, x, w));
        assertArrayEquals(new float[] {0, 0, 0, 0, 0}, unaryGradient(Device::sign, s, x, w));
    }
}
