package io.ucag.kernels.opencl;

import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.Conv2dParams;
import java.util.Arrays;
import java.util.Random;

/**
 * Not a test: times conv2d with explicit {@link ConvKernelParams} on ResNet-50 / VGG16 layers, for filling in
 * {@code conv_tuning.properties}. Args: "TILE_OC=8 TILE_PX=16 ..." (all of them) [batch, 16] [runs, 5]
 * [only these layers, e.g. "64-64-3,256-64-1" = c-o-k]. Besides wall time it prints the GFLOP/s the process's CPU
 * time implies for 2 free cores, which stays meaningful when other work shares the CPU (it includes the JVM's own
 * threads and PoCL's idle spinning, so it is pessimistic for short calls).
 */
public final class ConvTuning {
    public static void main(String[] args) {
        ConvKernelParams kp = ConvKernelParams.parse(args[0]);
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        String only = args.length > 3 ? args[3] : "";
        int[][] shapes = { // c, o, k, stride, pad, size
            {64, 64, 3, 1, 1, 56}, {256, 64, 1, 1, 0, 56}, {64, 256, 1, 1, 0, 56}, {128, 128, 3, 1, 1, 28},
            {256, 256, 3, 1, 1, 14}, {512, 512, 3, 1, 1, 7}, {3, 64, 7, 2, 3, 224}, {64, 64, 3, 1, 1, 224},
            // UCAG's 322-px patches
            {64, 64, 1, 1, 0, 81}, {64, 256, 1, 1, 0, 81}, {128, 512, 1, 1, 0, 41}, {256, 1024, 1, 1, 0, 21},
            {64, 64, 3, 1, 1, 81}, {256, 256, 3, 1, 1, 21}, {512, 512, 3, 1, 1, 11}};
        ClDevice d = ClDevice.open();
        Random rnd = new Random(1);
        System.out.println(kp + " batch " + batch);
        for (int[] s : shapes) {
            if (!only.isEmpty() && !only.contains("" + s[0] + "-" + s[1] + "-" + s[2])) {
                continue;
            }
            Conv2dParams p = Conv2dParams.of(s[3], s[4]);
            Shape xs = Shape.of(batch, s[0], s[5], s[5]);
            Tensor x = d.fromArray(xs, rand(rnd, xs.numel()));
            Tensor w = d.fromArray(Shape.of(s[1], s[0], s[2], s[2]), rand(rnd, s[1] * s[0] * s[2] * s[2]));
            Tensor b = d.fromArray(Shape.of(s[1]), rand(rnd, s[1]));
            int oh = p.outH(s[5], s[2]);
            double flops = 2.0 * batch * s[1] * s[0] * s[2] * s[2] * oh * oh;
            double[] ms = new double[runs];
            double[] cpu = new double[runs];
            for (int r = -1; r < runs; r++) {
                d.synchronize();
                long c0 = cpuNanos();
                long t0 = System.nanoTime();
                Tensor y = ClConv.conv2d(d, x, w, b, p, kp);
                d.synchronize();
                long t1 = System.nanoTime();
                y.close();
                if (r >= 0) {
                    ms[r] = (t1 - t0) / 1e6;
                    cpu[r] = (cpuNanos() - c0) / 1e6;
                }
            }
            Arrays.sort(ms);
            Arrays.sort(cpu);

            System.out.printf("%3d->%3d k%d s%d @%3d  best %8.2f ms  median %8.2f ms  %6.1f GFLOP/s (best)"
                    + "  cpu %8.2f ms -> %6.1f GFLOP/s on 2 free cores%n",
                    s[0], s[1], s[2], s[3], s[5], ms[0], ms[runs / 2], flops / ms[0] / 1e6, cpu[runs / 2],
                    2 * flops / cpu[runs / 2] / 1e6);
            x.close();
            w.close();
            b.close();
        }
        d.close();
    }

    /** CPU time of all threads of this process (ns), from /proc/self/task/N/schedstat. */
    static long cpuNanos() {
        long sum = 0;
        java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
        for (java.io.File t : tasks) {
            try {
                String stat = java.nio.file.Files.readString(new java.io.File(t, "schedstat").toPath());
                sum += Long.parseLong(stat.trim().split(" ")[0]);
            } catch (java.io.IOException | RuntimeException e) {
                // thread ended meanwhile
            }
        }
        return sum;
    }

    private static float[] rand(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = rnd.nextFloat() - 0.5f;
        }
        return v;
    }
}
