package io.ucag.kernels.opencl;

import com.sun.management.OperatingSystemMXBean;
import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.java.JavaDevice;
import io.ucag.runtime.ops.Conv2dParams;
import java.lang.management.ManagementFactory;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Prints (does not assert) the time of the convolution gradients and matmul on the Java and the OpenCL device:
 * the best wall time after warm-up, and the process CPU time per run, which is what to compare while other
 * processes compete for the cores (wall times then vary by 2x). Arguments: none (both devices), {@code java}
 * (Java only), or four OpenCL tile sizes VECTOR_WIDTH INPUT_TILE_X WEIGHT_TILE_K MATMUL_TILE_M (OpenCL only).
 * Run on the kernels module's test class path, e.g.
 * {@code java -cp runtime/target/classes:kernels/target/classes:kernels/target/test-classes:<jocl.jar>
 * io.ucag.kernels.opencl.ConvBackwardTiming}.
 */
public final class ConvBackwardTiming {
    /** {batch, in channels, size, out channels, kernel, stride, padding}: layers of ResNet50 and VGG16. */
    private static final int[][] CONVS = {{1, 256, 14, 256, 3, 1, 1}, {1, 64, 56, 64, 3, 1, 1},
        {1, 3, 224, 64, 7, 2, 3}, {1, 512, 14, 512, 3, 1, 1}, {1, 64, 112, 64, 3, 1, 1}};
    private static final OperatingSystemMXBean CPU =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private ConvBackwardTiming() {
    }

    public static void main(String[] args) {
        boolean javaOnly = args.length == 1 && args[0].equals("java");
        boolean clOnly = args.length == 4;
        try (JavaDevice java = new JavaDevice(); ClDevice cl = javaOnly ? null : ClDevice.open()) {
            ConvBackwardKernelParams tiles = clOnly ? new ConvBackwardKernelParams(Integer.parseInt(args[0]),
                    Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]))
                    : cl == null ? null : ConvBackwardKernelParams.forDevice(cl.info());
            System.out.println(java.name() + (cl == null ? "" : " vs " + cl.name() + ", " + tiles));
            for (int[] s : CONVS) {
                if (!clOnly) {
                    conv(java, null, s);
                }
                if (!javaOnly) {
                    conv(cl, tiles, s);
                }
            }
            if (!clOnly) {
                matmul(java, null, 16, 4096, 4096);
            }
            if (!javaOnly) {
                matmul(cl, tiles, 16, 4096, 4096);
            }
        }
    }

    /** s = {batch, in channels, size, out channels, kernel, stride, padding}; tiles only for OpenCL. */
    private static void conv(Device d, ConvBackwardKernelParams tiles, int[] s) {
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
            Timing input = time(d, () -> tiles == null ? d.conv2dBackwardInput(g, w, xs, p)
                    : ClConvBackward.conv2dBackwardInput((ClDevice) d, g, w, xs, p, tiles));
            Timing weight = time(d, () -> tiles == null ? d.conv2dBackwardWeight(g, x, s[4], s[4], p)
                    : ClConvBackward.conv2dBackwardWeight((ClDevice) d, g, x, s[4], s[4], p, tiles));
            System.out.printf("%-6s conv %dx%d s%d %d->%d at %dx%d batch %d: backward-input %s, backward-weight %s%n",
                    d.kind(), s[4], s[4], s[5], s[1], s[3], s[2], s[2], s[0], input.describe(flops),
                    weight.describe(flops));
        }
    }

    private static void matmul(Device d, ConvBackwardKernelParams tiles, int m, int k, int n) {
        Random rng = new Random(2);
        try (TensorScope scope = TensorScope.open()) {
            for (boolean transposed : new boolean[] {false, true}) {
                Tensor a = d.fromArray(transposed ? Shape.of(k, m) : Shape.of(m, k), random(rng, m * k));
                Tensor b = d.fromArray(transposed ? Shape.of(n, k) : Shape.of(k, n), random(rng, k * n));
                Timing t = time(d, () -> tiles == null ? d.matmul(a, b, transposed, transposed)
                        : ClConvBackward.matmul((ClDevice) d, a, b, transposed, transposed, tiles));
                System.out.printf("%-6s matmul %dx%d times %dx%d, both transposed %b: %s%n", d.kind(), m, k, k, n,
                        transposed, t.describe(2.0 * m * k * n));
            }
        }
    }

    private record Timing(double bestMs, double cpuMsPerRun) {
        String describe(double flops) {
            return String.format("%7.2f ms (%5.1f GFLOP/s, cpu %6.2f ms/run)", bestMs, flops / bestMs / 1e6,
                    cpuMsPerRun);
        }
    }

    /** Two warm-up runs, then runs for about a second (at least three). */
    private static Timing time(Device d, Supplier<Tensor> op) {
        for (int rep = 0; rep < 2; rep++) {
            try (Tensor y = op.get()) {
                d.synchronize();
            }
        }
        double best = Double.MAX_VALUE;
        int runs = 0;
        long cpu0 = CPU.getProcessCpuTime();
        long start = System.nanoTime();
        while (runs < 3 || System.nanoTime() - start < 1_000_000_000L) {
            long t0 = System.nanoTime();
            try (Tensor y = op.get()) {
                d.synchronize();
            }
            best = Math.min(best, (System.nanoTime() - t0) / 1e6);
            runs++;
        }
        return new Timing(best, (CPU.getProcessCpuTime() - cpu0) / 1e6 / runs);
    }

    private static float[] random(Random rng, int count) {
        float[] v = new float[count];
        for (int i = 0; i < count; i++) {
            v[i] = rng.nextFloat() * 2 - 1;
        }
        return v;
    }
}
