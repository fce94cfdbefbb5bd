package io.ucag.runtime.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.java.JavaDevice;
import io.ucag.runtime.ops.ReduceOp;
import io.ucag.runtime.ops.ResizeMode;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Central finite differences of every derivative RecordingDevice composes from other ops (crop/pad/concat/slice,
 * reductions, batch norm including gamma and beta, broadcasting add/mul, softmax, exp, resize, blur, reshape):
 * for L = sum(w * f(x)) with random w, dL/dx_i from the tape must equal (L(x + h e_i) - L(x - h e_i)) / 2h,
 * evaluated in double from the float forward, on a sample of coordinates.
 */
class ComposedGradientTest {
    private static final JavaDevice BASE = new JavaDevice(1);
    private static final double STEP = 1e-2;

    @AfterAll
    static void close() {
        BASE.close();
    }

    /** An op of one input (x) and a fixed second tensor made from the seed, if any. */
    private record Case(String name, Shape shape, BiFunction<Device, Tensor, Tensor> op) {
    }

    private static Tensor constant(Device d, Shape s, long seed, float offset) {
        Random r = new Random(seed);
        float[] v = new float[s.numel()];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextFloat() + offset;
        }
        return d.fromArray(s, v);
    }

    private static List<Case> cases() {
        Shape img = Shape.of(2, 3, 5, 6);
        return List.of(
                new Case("crop", img, (d, x) -> d.crop(x, 1, 2, 3, 3)),
                new Case("pad", img, (d, x) -> d.pad(x, 1, 0, 2, 1, 0.5f)),
                new Case("concat", img, (d, x) -> d.concat(List.of(d.scale(x, 2f), x, d.exp(x)), 1)),
                new Case("slice", img, (d, x) -> d.slice(x, 2, 1, 3)),
                new Case("sum", img, (d, x) -> d.reduce(x, ReduceOp.SUM, new int[] {1, 3}, false)),
                new Case("mean", img, (d, x) -> d.reduce(x, ReduceOp.MEAN, new int[] {0, 2}, true)),
                new Case("max", img, (d, x) -> d.reduce(x, ReduceOp.MAX, new int[] {2, 3}, false)),
                new Case("batchNorm x", img, (d, x) -> d.batchNorm(x, constant(d, Shape.of(3), 1, 0),
                        constant(d, Shape.of(3), 2, 0.5f), constant(d, Shape.of(3), 3, 0.5f),
                        constant(d, Shape.of(3), 4, 0), 1e-3f)),
                new Case("batchNorm gamma", Shape.of(3), (d, g) -> d.batchNorm(constant(d, img, 5, -0.5f),
                        constant(d, Shape.of(3), 1, 0), constant(d, Shape.of(3), 2, 0.5f), g,
                        constant(d, Shape.of(3), 4, 0), 1e-3f)),
                new Case("batchNorm beta", Shape.of(3), (d, b) -> d.batchNorm(constant(d, img, 5, -0.5f),
                        constant(d, Shape.of(3), 1, 0), constant(d, Shape.of(3), 2, 0.5f),
                        constant(d, Shape.of(3), 3, 0.5f), b, 1e-3f)),
                new Case("add broadcast", Shape.of(3, 1, 1), (d, b) -> d.add(constant(d, img, 6, 0), b)),
                new Case("mul broadcast", Shape.of(3, 1, 6), (d, b) -> d.mul(constant(d, img, 7, -0.5f), b)),
                new Case("softmax", img, (d, x) -> d.softmax(x, 1)),
                new Case("exp", img, (d, x) -> d.exp(x)),
                new Case("resize bicubic", img, (d, x) -> d.resize(x, 9, 4, ResizeMode.BICUBIC)),
                new Case("resize bilinear", img, (d, x) -> d.resize(x, 3, 11, ResizeMode.BILINEAR)),
                new Case("blur", Shape.of(1, 2, 9, 8), (d, x) -> d.gaussianBlur(x, 5, 1.5f)),
                new Case("reshape", img, (d, x) -> d.mul(d.reshape(x, Shape.of(6, 30)), constant(d, Shape.of(30), 8,
                        0))));
    }

    @TestFactory
    Stream<DynamicTest> tapeGradientsEqualFiniteDifferences() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
    }

    private static void check(Case c) {
        Random rng = new Random(c.name().hashCode());
        float[] x = new float[c.shape().numel()];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextFloat() * 2 - 1;
        }
        float[] weights;
        float[] analytic;
        try (TensorScope scope = TensorScope.open(); Tape tape = new Tape()) {
            Device d = tape.on(BASE);
            Tensor input = tape.watch(BASE.fromArray(c.shape(), x));
            Tensor y = c.op().apply(d, input);
            weights = new float[y.shape().numel()];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = rng.nextFloat() * 2 - 1;
            }
            try (Gradients g = tape.backward(y, BASE.fromArray(y.shape(), weights))) {
                analytic = g.of(input).toArray();
            }
        }
        double scale = 0;
        for (float v : analytic) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int k = 0; k < Math.min(24, x.length); k++) {
            int i = (int) ((long) k * x.length / Math.min(24, x.length));
            double numeric = (loss(c, x, i, STEP, weights) - loss(c, x, i, -STEP, weights)) / (2 * STEP);
            assertEquals(numeric, analytic[i], 2e-3 * Math.max(scale, 1e-3), c.name() + " coordinate " + i);
        }
    }

    private static double loss(Case c, float[] x, int i, double h, float[] weights) {
        float[] shifted = x.clone();
        shifted[i] = (float) (x[i] + h);
        try (TensorScope scope = TensorScope.open()) {
            float[] y = c.op().apply(BASE, BASE.fromArray(c.shape(), shifted)).toArray();
            double sum = 0;
            for (int j = 0; j < y.length; j++) {
                sum += (double) weights[j] * y[j];
            }
            return sum;
        }
    }
}
