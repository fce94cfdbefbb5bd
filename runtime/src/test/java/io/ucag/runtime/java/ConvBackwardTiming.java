package io.ucag.runtime.java;

import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.Conv2dParams;
import java.util.Random;

/**
 * Prints (does not assert) the time of the convolution gradients and matmul on the Java device. Run with
 * {@code java -cp runtime/target/classes:runtime/target/test-classes io.ucag.runtime.java.ConvBackwardTiming}.
 */
public final class ConvBackwardTiming {
    private ConvBackwardTiming() {
    }

    public static void main(String[] args) {
        try (JavaDevice d = new JavaDevice()) {
            System.out.println(d.name());
            time(d, 1, 256, 14, 256, 3, Conv2dParams.of(1, 1));
            time(d, 1, 64, 56, 64, 3, Conv2dParams.of(1, 1));
            time(d, 1, 3, 224, 64, 7, Conv2dParams.of(2, 3));
            time(d, 1, 512, 14, 512, 3, Conv2dParams.of(1, 1));
            timeMatmul(d, 16, 4096, 25088);
        }
    }

    /** Best of several runs of both gradients of a (c -> o, k x k) convolution over an n x c x size x size input. */
    public static void time(Device d, int n, int c, int size, int o, int k, Conv2dParams p) {
        Random rng = new Random(1);
        Shape xs = Shape.of(n, c, size, size);
        Shape gs = Shape.of(n, o, p.outH(size, k), p.outW(size, k));
        Tensor x = d.fromArray(xs, JavaConvBackwardTest.random(rng, xs.numel()));
        Tensor w = d.fromArray(Shape.of(o, c, k, k), JavaConvBackwardTest.random(rng, o * c * k * k));
        Tensor g = d.fromArray(gs, JavaConvBackwardTest.random(rng, gs.numel()));
        double flops = 2.0 * gs.numel() * c * k * k;
        double bestInput = Double.MAX_VALUE;
        double bestWeight = Double.MAX_VALUE;
        for (int rep = 0; rep < 8; rep++) {
            long t0 = System.nanoTime();
            d.toArray(d.conv2dBackwardInput(g, w, xs, p));
            long t1 = System.nanoTime();
            d.toArray(d.conv2dBackwardWeight(g, x, k, k, p));
            long t2 = System.nanoTime();
            bestInput = Math.min(bestInput, (t1 - t0) / 1e6);
            bestWeight = Math.min(bestWeight, (t2 - t1) / 1e6);
        }
        System.out.printf("%s: conv %dx%d %d->%d at %dx%d batch %d: backward-input %.2f ms (%.1f GFLOP/s), "
                        + "backward-weight %.2f ms (%.1f GFLOP/s)%n", d.kind(), k, k, c, o, size, size, n,
                bestInput, flops / bestInput / 1e6, bestWeight, flops / bestWeight / 1e6);
    }

    public static void timeMatmul(Device d, int m, int k, int n) {
        Random rng = new Random(2);
        Tensor a = d.fromArray(Shape.of(m, k), JavaConvBackwardTest.random(rng, m * k));
        Tensor b = d.fromArray(Shape.of(k, n), JavaConvBackwardTest.random(rng, k * n));
        double best = Double.MAX_VALUE;
        for (int rep = 0; rep < 5; rep++) {
            long t0 = System.nanoTime();
            d.toArray(d.matmul(a, b, false, false));
            best = Math.min(best, (System.nanoTime() - t0) / 1e6);
        }
        System.out.printf("%s: matmul %dx%d times %dx%d: %.2f ms (%.1f GFLOP/s)%n", d.kind(), m, k, k, n, best,
                2.0 * m * k * n / best / 1e6);
    }
}
