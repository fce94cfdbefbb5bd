package io.ucag.kernels.opencl;

import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.java.JavaDevice;
import io.ucag.runtime.ops.Conv2dParams;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Prints (does not assert) the time of the convolution gradients and matmul on the Java and the OpenCL device,
 * best of a few runs after warm-up. Optional arguments override the OpenCL tile sizes: VECTOR_WIDTH
 * INPUT_TILE_C WEIGHT_TILE_O WEIGHT_TILE_K MATMUL_TILE_M. Run from the kernels module's test class path.
 */
public final class ConvBackwardTiming {
    private ConvBackwardTiming() {
    }

    /** {batch, in channels, size, out channels, kernel, stride, padding}: layers of ResNet50 and VGG16. */
    private static final int[][] CONVS = {{1, 512, 14, 512, 3, 1, 1}, {1, 256, 14, 256, 3, 1, 1}, {1, 64, 56, 64, 3, 1, 1},
        {1, 3, 224, 64, 7, 2, 3}, {1, 512, 14, 512, 3, 1, 1}};

    public static void main(String[] args) {
        ClConvBackward.Tiles tiles = args.length == 5 ? new ClConvBackward.Tiles(Integer.parseInt(args[0]),
                Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                Integer.parseInt(args[4])) : ClConvBackward.Tiles.DEFAULT;
        boolean clOnly = args.length == 5;
        if (args.length == 1 && args[0].equals("java")) {
            try (JavaDevice java = new JavaDevice()) {
                for (int[] s : CONVS) {
                    conv(java, null, s);
                }
                matmul(java, null, 16, 4096, 4096);
            }
            return;
        }
        try (JavaDevice java = new JavaDevice(); ClDevice cl = ClDevice.open()) {
            System.out.println(java.name() + " vs " + cl.name() + ", " + tiles);
            for (int[] s : CONVS) {
                if (!clOnly) {
                    conv(java, null, s);
                }
                conv(cl, tiles, s);
            }
            if (!clOnly) {
                matmul(java, null, 16, 4096, 4096);
            }
            matmul(cl, tiles, 16, 4096, 4096);
        }
    }

    /** s = {batch, in channels, size, out channels, kernel, stride, padding}. */
    private static void conv(Device d, ClConvBackward.Tiles tiles, int[] s) {
        Random rng = new Random(1);
        Conv2dParams p = Conv2dParams.of(s[5], s[6]);
        Shape xs = Shape.of(s[0], s[1], s[2], s[2]);
        Shape ws = Shape.of(s[3], s[1], s[4], s[4]);
        Shape gs = Shape.of(s[0], s[3], p.outH(s[2], s[4]), p.outW(s[2], s[4]));
        try (TensorScope scope = TensorScope.open()) {
            Tensor x = d.fromArray(xs, random(rng, xs.numel()));
            Tensor w = d.fromArray(ws, random(rng, ws.numel()));
            Tensor g = d.fromArray(gs, random(rng, gs.numel()));
            double flops = 2.0 * gs.numel() * s[1] * s[4] * s[4];
            double input = best(d, () -> tiles == null ? d.conv2dBackwardInput(g, w, xs, p)
                    : ClConvBackward.conv2dBackwardInput((ClDevice) d, g, w, xs, p, tiles));
            double weight = best(d, () -> tiles == null ? d.conv2dBackwardWeight(g, x, s[4], s[4], p)
                    : ClConvBackward.conv2dBackwardWeight((ClDevice) d, g, x, s[4], s[4], p, tiles));
            System.out.printf("%-6s conv %dx%d s%d %d->%d at %dx%d batch %d: backward-input %8.2f ms (%5.1f GFLOP/s),"
                            + " backward-weight %8.2f ms (%5.1f GFLOP/s)%n", d.kind(), s[4], s[4], s[5], s[1], s[3],
                    s[2], s[2], s[0], input, flops / input / 1e6, weight, flops / weight / 1e6);
        }
    }

    private static void matmul(Device d, ClConvBackward.Tiles tiles, int m, int k, int n) {
        Random rng = new Random(2);
        try (TensorScope scope = TensorScope.open()) {
            Tensor a = d.fromArray(Shape.of(m, k), random(rng, m * k));
            Tensor b = d.fromArray(Shape.of(k, n), random(rng, k * n));
            for (int variant = 0; variant < 4; variant += 3) {
                boolean t = variant == 3;
                Tensor aa = t ? d.fromArray(Shape.of(k, m), random(rng, m * k)) : a;
                Tensor bb = t ? d.fromArray(Shape.of(n, k), random(rng, k * n)) : b;
                double ms = best(d, () -> tiles == null ? d.matmul(aa, bb, t, t)
                        : ClConvBackward.matmul((ClDevice) d, aa, bb, t, t, tiles));
                System.out.printf("%-6s matmul %dx%d times %dx%d transposed %b: %8.2f ms (%5.1f GFLOP/s)%n", d.kind(),
                        m, k, k, n, t, ms, 2.0 * m * k * n / ms / 1e6);
            }
        }
    }

    /**
     * Best wall time in ms of the runs within about a second after warm-up. Also prints the process CPU time per
     * run, which is what to compare while other processes compete for the cores (wall times then vary by 2x).
     */
    private static double best(Device d, Supplier<Tensor> op) {
        for (int rep = 0; rep < 2; rep++) {
            try (Tensor y = op.get()) {
                d.synchronize();
            }
        }
        double best = Double.MAX_VALUE;
        int runs = 0;
        long c0 = CPU.getProcessCpuTime();
        long start = System.nanoTime();
        while (runs < 3 || System.nanoTime() - start < 1_000_000_000L) {
            long t0 = System.nanoTime();
            try (Tensor y = op.get()) {
                d.synchronize();
            }
            best = Math.min(best, (System.nanoTime() - t0) / 1e6);
            runs++;
        }
        System.out.printf("  [cpu %.1f ms/run] ", (CPU.getProcessCpuTime() - c0) / 1e6 / runs);
        return best;
    }

    private static final com.sun.management.OperatingSystemMXBean CPU =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    private static float[] random(Random rng, int count) {
        float[] v = new float[count];
        for (int i = 0; i < count; i++) {
            v[i] = rng.nextFloat() * 2 - 1;
        }
        return v;
    }
}
