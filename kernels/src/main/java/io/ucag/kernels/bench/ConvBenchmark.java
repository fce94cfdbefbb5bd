package io.ucag.kernels.bench;

import io.ucag.kernels.opencl.ClConvWeights;
import io.ucag.kernels.opencl.ClDevice;
import io.ucag.runtime.Device;
import io.ucag.runtime.Devices;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.ops.Conv2dParams;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Times conv2d on the convolution shapes of ResNet-50 at batch 1 and 16: median of {@code runs} timed calls after
 * a warm-up (which also builds the OpenCL programs and lets the JIT compile the Java kernels), GFLOP/s = 2*N*O*C*kh*kw*Ho*Wo / time, and the share of
 * the peak given by {@code -Ducag.bench.peakGflops} (default 196). OpenCL devices also run each shape with weights
 * packed once ({@link ClConvWeights}, row "opencl-packed"); OpenCL timings wait for the queue to drain.
 *
 * <p>Usage: {@code ConvBenchmark [java|opencl|all] [runs]}.
 */
public final class ConvBenchmark {
    /** System property overriding the peak GFLOP/s the table compares with. */
    public static final String PEAK_PROPERTY = "ucag.bench.peakGflops";
    /** The least warm-up time per shape and device (at most 20 calls). */
    private static final long WARM_UP_MS = 300;
    /** Projected seconds above which batch 16 is skipped on the Java device. */
    private static final double JAVA_BATCH16_LIMIT_S = 60;

    /** One convolution: channels, output channels, square input size, square kernel, stride, padding. */
    record ConvShape(int in, int out, int size, int kernel, int stride, int pad) {
        Conv2dParams params() {
            return Conv2dParams.of(stride, pad);
        }

        int outSize() {
            return params().outH(size, kernel);
        }

        double flops(int batch) {
            return 2.0 * batch * out * in * kernel * kernel * outSize() * outSize();
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%dx%d %d->%d @%d%s", kernel, kernel, in, out, size,
                    stride == 1 ? "" : " s" + stride);
        }
    }

    static final List<ConvShape> RESNET50 = List.of(
            new ConvShape(64, 64, 56, 3, 1, 1),
            new ConvShape(256, 64, 56, 1, 1, 0),
            new ConvShape(64, 256, 56, 1, 1, 0),
            new ConvShape(128, 128, 28, 3, 1, 1),
            new ConvShape(256, 256, 14, 3, 1, 1),
            new ConvShape(512, 512, 7, 3, 1, 1),
            new ConvShape(3, 64, 224, 7, 2, 3));

    private ConvBenchmark() {
    }

    public static void main(String[] args) {
        String device = args.length > 0 ? args[0] : "all";
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        run(System.out, device, runs);
    }

    /** Prints the table for device {@code java}, {@code opencl}, {@code auto} or {@code all} (java and opencl). */
    public static void run(PrintStream out, String deviceName, int runs) {
        if (runs < 1) {
            throw new IllegalArgumentException("ConvBenchmark: runs must be >= 1, got " + runs);
        }
        double peak = Double.parseDouble(System.getProperty(PEAK_PROPERTY, "196"));
        List<String> names = deviceName.equalsIgnoreCase("all") ? List.of("opencl", "java") : List.of(deviceName);
        out.printf(Locale.ROOT, "%-22s %5s  %-14s %9s %9s %7s%n", "shape", "batch", "device", "ms", "GFLOP/s",
                "% peak");
        for (String name : names) {
            try (Device d = Devices.open(name)) {
                out.println("# " + d.name() + ", median of " + runs + " runs after a warm-up, peak " + peak
                        + " GFLOP/s");
                for (int batch : new int[] {1, 16}) {
                    if (d.kind() == Device.Kind.JAVA && batch == 16 && !javaBatch16Fits(d, runs)) {
                        out.printf(Locale.ROOT, "# batch 16 skipped on %s: projected above %.0f s%n", d.name(),
                                JAVA_BATCH16_LIMIT_S);
                        continue;
                    }
                    for (ConvShape s : RESNET50) {
                        benchmarkShape(out, d, s, batch, runs, peak);
                    }
                }
            } catch (RuntimeException e) {
                out.println("# " + name + ": " + e.getMessage());
            }
        }
    }

    private static void benchmarkShape(PrintStream out, Device d, ConvShape s, int batch, int runs, double peak) {
        Random rnd = new Random(1);
        try (TensorScope scope = TensorScope.open()) {
            Tensor x = d.fromArray(Shape.of(batch, s.in, s.size, s.size), random(rnd, batch * s.in * s.size * s.size));
            Shape ws = Shape.of(s.out, s.in, s.kernel, s.kernel);
            Tensor w = d.fromArray(ws, random(rnd, ws.numel()));
            Tensor b = d.fromArray(Shape.of(s.out), random(rnd, s.out));
            double ms = medianMs(d, runs, () -> d.conv2d(x, w, b, s.params()));
            row(out, s, batch, d.kind() == Device.Kind.JAVA ? "java" : "opencl", ms, peak);
            if (d instanceof ClDevice cl) {
                try (ClConvWeights packed = ClConvWeights.pack(cl, w)) {
                    double packedMs = medianMs(d, runs, () -> packed.conv2d(x, b, s.params()));
                    row(out, s, batch, "opencl-packed", packedMs, peak);
                }
            }
        }
    }

    /**
     * Median wall time of {@code runs} calls after a warm-up of at least 2 calls and {@value #WARM_UP_MS} ms (the
     * Java device needs a few calls before the JIT has compiled its kernels); each result is closed after the device
     * drains.
     */
    private static double medianMs(Device d, int runs, Supplier<Tensor> conv) {
        long warmUpStart = System.nanoTime();
        for (int i = 0; i < 20 && (i < 2 || System.nanoTime() - warmUpStart < WARM_UP_MS * 1_000_000L); i++) {
            conv.get().close();
            d.synchronize();
        }
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            Tensor y = conv.get();
            d.synchronize();
            ms[i] = (System.nanoTime() - t0) / 1e6;
            y.close();
        }
        Arrays.sort(ms);
        return runs % 2 == 1 ? ms[runs / 2] : (ms[runs / 2 - 1] + ms[runs / 2]) / 2;
    }

    private static void row(PrintStream out, ConvShape s, int batch, String device, double ms, double peak) {
        double gflops = s.flops(batch) / ms / 1e6;
        out.printf(Locale.ROOT, "%-22s %5d  %-14s %9.2f %9.1f %6.1f%%%n", s, batch, device, ms, gflops,
                100 * gflops / peak);
    }

    /** Times one batch-1 pass over the shapes and projects batch 16 (16x the work, warm-up plus runs). */
    private static boolean javaBatch16Fits(Device d, int runs) {
        double seconds = 0;
        List<Double> perShape = new ArrayList<>();
        for (ConvShape s : RESNET50) {
            try (TensorScope scope = TensorScope.open()) {
                Random rnd = new Random(2);
                Tensor x = d.fromArray(Shape.of(1, s.in, s.size, s.size), random(rnd, s.in * s.size * s.size));
                Shape ws = Shape.of(s.out, s.in, s.kernel, s.kernel);
                Tensor w = d.fromArray(ws, random(rnd, ws.numel()));
                long t0 = System.nanoTime();
                d.conv2d(x, w, null, s.params());
                perShape.add((System.nanoTime() - t0) / 1e9);
            }
        }
        for (double t : perShape) {
            seconds += t * 16 * (runs + 2);
        }
        return seconds <= JAVA_BATCH16_LIMIT_S;
    }

    private static float[] random(Random rnd, int count) {
        float[] v = new float[count];
        for (int i = 0; i < count; i++) {
            v[i] = rnd.nextFloat() * 2 - 1;
        }
        return v;
    }
}
