package io.ucag.kernels.bench;

import io.ucag.runtime.Device;
import io.ucag.runtime.Devices;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.Conv2dParams;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Not a test: times {@link Device#conv2d} on the convolutions of ResNet-50 (batch 1 and 16) and VGG16's widest
 * one, on any device. Reports the median time after a warm-up (at least 2 calls and 300 ms, for the Java device's
 * JIT) and GFLOP/s = 2*N*O*C*KH*KW*OH*OW / time, also as a share of the peak: {@link #PEAK_GFLOPS}, the fp32 peak
 * of the 2-core AVX-512 CPU this project is tuned on, unless {@link #PEAK_PROPERTY} says otherwise. The time
 * is the op as callers see it, output allocation included. The CPU may be shared, so the load average is printed,
 * and the CPU time this process spent per call (all threads, Linux only): on a busy machine, wall time exceeds
 * CPU time / cores by the time the device's threads waited for a core.
 *
 * <p>Run it as {@code ucag bench-conv [--device opencl|java|auto|all] [--runs 5]}; the table goes to the stream
 * the caller passes (this library class prints nothing on its own).
 */
public final class ConvBenchmark {
    /** System property overriding the peak GFLOP/s the table compares with. */
    public static final String PEAK_PROPERTY = "ucag.bench.peakGflops";
    /** fp32 peak of the reference CPU: 2 cores x 2 FMA x 16 lanes x ~3.07 GHz. */
    public static final double PEAK_GFLOPS = 196;
    /** The least warm-up per layer: at least 2 calls and this long (the Java device's JIT needs a few calls). */
    private static final long WARM_UP_MS = 300;

    /** One conv2d layer: c input channels, o output channels, a k x k kernel, stride, padding, input size. */
    record Layer(String net, int c, int o, int k, int stride, int pad, int size, int batch) {
        Conv2dParams params() {
            return Conv2dParams.of(stride, pad);
        }

        int outSize() {
            return params().outH(size, k);
        }

        double flops() {
            return 2.0 * batch * o * c * k * k * outSize() * outSize();
        }

        @Override
        public String toString() {
            return String.format("%-8s %4d->%-4d %dx%d s%d @%3d  N=%-2d", net, c, o, k, k, stride, size, batch);
        }
    }

    private static final int[][] RESNET50 = { // c, o, k, stride, pad, size
        {64, 64, 3, 1, 1, 56}, {256, 64, 1, 1, 0, 56}, {64, 256, 1, 1, 0, 56}, {128, 128, 3, 1, 1, 28},
        {256, 256, 3, 1, 1, 14}, {512, 512, 3, 1, 1, 7}, {3, 64, 7, 2, 3, 224}};

    private ConvBenchmark() {
    }

    /**
     * Opens device {@code java}, {@code opencl} or {@code auto}, or both for {@code all}, and prints each one's
     * table (see {@link #run(PrintWriter, Device, int)}); a device that cannot open gets a line saying why.
     */
    public static void run(PrintStream out, String deviceName, int runs) {
        PrintWriter writer = new PrintWriter(out, true);
        List<String> names = deviceName.equalsIgnoreCase("all") ? List.of("opencl", "java") : List.of(deviceName);
        for (String name : names) {
            try (Device device = Devices.open(name)) {
                run(writer, device, runs);
            } catch (RuntimeException e) {
                writer.println("# " + name + ": " + e.getMessage());
            }
        }
        writer.flush();
    }

    /** Times every layer {@code runs} times after a warm-up and prints one line per layer to out. */
    public static void run(PrintWriter out, Device device, int runs) {
        if (runs < 1) {
            throw new IllegalArgumentException("ConvBenchmark: runs must be >= 1, got " + runs);
        }
        double peak = Double.parseDouble(System.getProperty(PEAK_PROPERTY, String.valueOf(PEAK_GFLOPS)));
        out.printf("conv2d on %s, median of %d runs after a warm-up, peak %.0f GFLOP/s, load average before: %s%n",
                device.name(), runs, peak, loadAverage());
        out.printf("%-37s %10s %10s %8s %10s%n", "layer", "median ms", "GFLOP/s", "% peak", "cpu ms");
        Random rnd = new Random(1);
        for (Layer layer : layers()) {
            double[] msAndCpu = medianMillis(device, layer, runs, rnd);
            double gflops = layer.flops() / msAndCpu[0] / 1e6;
            out.printf("%-37s %10.2f %10.1f %7.1f%% %10.2f%n", layer, msAndCpu[0], gflops, 100 * gflops / peak,
                    msAndCpu[1]);
            out.flush();
        }
        out.printf("load average after: %s%n", loadAverage());
    }

    static List<Layer> layers() {
        List<Layer> layers = new java.util.ArrayList<>();
        for (int batch : new int[] {1, 16}) {
            for (int[] l : RESNET50) {
                layers.add(new Layer("resnet50", l[0], l[1], l[2], l[3], l[4], l[5], batch));
            }
        }
        layers.add(new Layer("vgg16", 64, 64, 3, 1, 1, 224, 1));
        return layers;
    }

    /** Median wall time and median process CPU time of one call, in ms. */
    private static double[] medianMillis(Device device, Layer layer, int runs, Random rnd) {
        Shape xs = Shape.of(layer.batch(), layer.c(), layer.size(), layer.size());
        Shape ws = Shape.of(layer.o(), layer.c(), layer.k(), layer.k());
        double[] ms = new double[runs];
        double[] cpu = new double[runs];
        try (Tensor x = device.fromArray(xs, random(rnd, xs.numel()));
             Tensor w = device.fromArray(ws, random(rnd, ws.numel()));
             Tensor b = device.fromArray(Shape.of(layer.o()), random(rnd, layer.o()))) {
            long warmUpStart = System.nanoTime();
            for (int i = 0; i < 20 && (i < 2 || System.nanoTime() - warmUpStart < WARM_UP_MS * 1_000_000L); i++) {
                device.conv2d(x, w, b, layer.params()).close();
                device.synchronize();
            }
            for (int r = 0; r < runs; r++) {
                device.synchronize();
                long cpuStart = processCpuNanos();
                long start = System.nanoTime();
                try (Tensor y = device.conv2d(x, w, b, layer.params())) {
                    device.synchronize();
                }
                ms[r] = (System.nanoTime() - start) / 1e6;
                cpu[r] = cpuStart < 0 ? Double.NaN : (processCpuNanos() - cpuStart) / 1e6;
            }
        }
        Arrays.sort(ms);
        Arrays.sort(cpu);
        return new double[] {ms[runs / 2], cpu[runs / 2]};
    }

    /** CPU time of all threads of this process in ns (from Linux /proc), or -1 where that is unavailable. */
    private static long processCpuNanos() {
        File[] tasks = new File("/proc/self/task").listFiles();
        if (tasks == null) {
            return -1;
        }
        long sum = 0;
        for (File task : tasks) {
            try {
                sum += Long.parseLong(Files.readString(task.toPath().resolve("schedstat")).trim().split(" ")[0]);
            } catch (IOException | RuntimeException e) {
                // the thread ended meanwhile
            }
        }
        return sum;
    }

    private static float[] random(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = rnd.nextFloat() * 2 - 1;
        }
        return v;
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
