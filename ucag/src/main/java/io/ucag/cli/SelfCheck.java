package io.ucag.cli;

import io.ucag.kernels.opencl.SignalChaining;
import io.ucag.runtime.Device;
import io.ucag.runtime.DeviceUnavailableException;
import io.ucag.runtime.Devices;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.ops.Conv2dParams;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code selfcheck}: lists the devices, times one ResNet-sized convolution (3x3, 64 -> 64 channels, 56x56) on
 * each and checks that the devices agree. Until the CLI's model commands exist this is the main job.
 */
@Command(name = "selfcheck", description = "List the devices, time a ResNet-sized convolution on each, compare them.")
final class SelfCheck implements Callable<Integer> {
    private static final Shape INPUT = Shape.of(1, 64, 56, 56);
    private static final Shape WEIGHT = Shape.of(64, 64, 3, 3);
    private static final Conv2dParams PARAMS = Conv2dParams.of(1, 1);
    private static final int RUNS = 5;

    @Option(names = "--device", defaultValue = "all", paramLabel = "all|auto|opencl|java",
            description = "Device(s) to check (default: ${DEFAULT-VALUE}).")
    private String choice;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<String> names = choice.equals("all") ? List.of("java", "opencl") : List.of(choice);
        Random rng = new Random(42);
        float[] x = random(rng, INPUT.numel());
        float[] w = random(rng, WEIGHT.numel());
        float[] b = random(rng, WEIGHT.dim(0));
        double flops = 2.0 * 64 * 64 * 9 * 56 * 56;
        out.println("signal chaining: " + (SignalChaining.active() ? "on (libjsig preloaded)"
                : "off (PoCL's kernel compiler can crash this JVM; see LD_PRELOAD in the README)"));
        String tunables = System.getenv("GLIBC_TUNABLES");
        out.println("malloc huge pages: " + (tunables != null && tunables.contains(SignalChainingLauncher.HUGE_PAGES)
                ? "asked for (" + SignalChainingLauncher.HUGE_PAGES + ")" : "not asked for"));

        List<float[]> results = new ArrayList<>();
        for (String name : names) {
            Device device;
            try {
                device = Devices.open(name);
            } catch (DeviceUnavailableException e) {
                out.printf("%-7s unavailable: %s%n", name, e.getMessage());
                if (!choice.equals("all")) {
                    return 1;
                }
                continue;
            }
            try (device; TensorScope scope = TensorScope.open()) {
                Tensor xt = device.fromArray(INPUT, x);
                Tensor wt = device.fromArray(WEIGHT, w);
                Tensor bt = device.fromArray(Shape.of(WEIGHT.dim(0)), b);
                float[] y = device.conv2d(xt, wt, bt, PARAMS).toArray(); // warm-up: builds kernels, JIT
                long[] nanos = new long[RUNS];
                for (int r = 0; r < RUNS; r++) {
                    long t0 = System.nanoTime();
                    try (Tensor yt = device.conv2d(xt, wt, bt, PARAMS)) {
                        device.synchronize();
                        nanos[r] = System.nanoTime() - t0;
                    }
                }
                Arrays.sort(nanos);
                double seconds = nanos[RUNS / 2] / 1e9;
                out.printf("%-7s %s%n        conv2d 3x3 64->64 @56x56: %.2f ms, %.1f GFLOP/s (median of %d)%n",
                        name, device.name(), seconds * 1e3, flops / seconds / 1e9, RUNS);
                results.add(y);
            }
        }
        if (results.size() == 2) {
            double diff = maxRelativeDifference(results.get(0), results.get(1));
            out.printf("java vs opencl: max difference %.2e of the largest output (%s)%n", diff, diff <= 1e-4 ? "ok" : "MISMATCH");
            return diff <= 1e-4 ? 0 : 1;
        }
        return results.isEmpty() ? 1 : 0;
    }

    private static float[] random(Random rng, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = rng.nextFloat() * 2 - 1;
        }
        return v;
    }

    /**
     * max |a-b| / max |a|: the error against the output's scale. (Against each element's own size it is noise: a
     * 576-term sum near zero keeps the rounding error of its large terms, and the two devices add in different orders.)
     */
    static double maxRelativeDifference(float[] a, float[] b) {
        double worst = 0;
        double scale = Float.MIN_NORMAL;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
            scale = Math.max(scale, Math.abs(a[i]));
        }
        return worst / scale;
    }
}
