package io.ucag.kernels.opencl;

import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import java.util.Arrays;
import java.util.Random;

/** Not a test: times conv.cl's linear with explicit tile sizes. Args: "TILE_OC=8 ..." [runs]. */
public final class LinearTuning {
    public static void main(String[] args) {
        ConvKernelParams kp = ConvKernelParams.parse(args[0]);
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int[][] shapes = {{1, 25088, 4096}, {2, 25088, 4096}, {4, 25088, 4096}, {8, 25088, 4096},
            {16, 25088, 4096}, {1, 4096, 4096}, {16, 4096, 4096}, {16, 4096, 1000}};
        ClDevice d = ClDevice.open();
        Random rnd = new Random(1);
        System.out.println(kp);
        for (int[] s : shapes) {
            Tensor x = d.fromArray(Shape.of(s[0], s[1]), new float[s[0] * s[1]]);
            Tensor w = d.fromArray(Shape.of(s[2], s[1]), new float[s[2] * s[1]]);
            Tensor b = d.fromArray(Shape.of(s[2]), new float[s[2]]);
            double[] ms = new double[runs];
            double[] cpu = new double[runs];
            for (int r = -1; r < runs; r++) {
                d.synchronize();
                long c0 = ConvTuning.cpuNanos();
                long t0 = System.nanoTime();
                Tensor y = ClConv.linear(d, x, w, b, kp);
                d.synchronize();
                long t1 = System.nanoTime();
                y.close();
                if (r >= 0) {
                    ms[r] = (t1 - t0) / 1e6;
                    cpu[r] = (ConvTuning.cpuNanos() - c0) / 1e6;
                }
            }
            Arrays.sort(ms);
            Arrays.sort(cpu);
            double gb = 4.0 * s[1] * s[2] / 1e9;
            System.out.printf("N=%2d K=%5d M=%4d best %7.2f ms median %7.2f ms  weights %.1f GB/s  cpu %7.2f ms%n",
                    s[0], s[1], s[2], ms[0], ms[runs / 2], gb / ms[0] * 1e3, cpu[runs / 2]);
            x.close();
            w.close();
            b.close();
        }
    }
}
