package io.ucag.cli;

import io.ucag.models.Model;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.profile.OpProfile;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Wall time of each layer of one forward pass, measured by waiting for the device after every op (so the times
 * add up to a pass slightly slower than an unobserved one). The pass fuses layers as a real one does, so a
 * convolution's line includes the batch norm, ReLU and residual addition run inside it (conv2dFused). Convolutions
 * and linear layers, in order, get their GFLOP/s; the other ops are summed by name.
 */
final class LayerTimes {
    private final List<OpProfile.Call> dense;
    static final String PEAK_PROPERTY = "ucag.bench.peakGflops";
    /** fp32 peak of this project's 2-core CI machines (Zen 3/4 at about 3 GHz, two FMA pipes of 8 lanes per core). */
    static final double CI_MACHINE_PEAK = 196;

    private final Map<String, double[]> others = new LinkedHashMap<>(); // op -> {seconds, calls}
    private final double peakGflops;

    private LayerTimes(List<OpProfile.Call> calls, String deviceName) {
        this.peakGflops = peakGflops(deviceName);
        this.dense = calls.stream().filter(c -> c.flops() > 0).toList();
        calls.stream().filter(c -> c.flops() == 0).forEach(c -> {
            double[] t = others.computeIfAbsent(c.op(), k -> new double[2]);
            t[0] += c.seconds();
            t[1]++;
        });
    }

    /** Times one forward pass of {@code input} (closed afterwards) through {@code model}. */
    static LayerTimes measure(Model model, Tensor input) {
        OpProfile profile = new OpProfile();
        try (input; Model profiled = model.on(profile.wrap(model.device()));
             Tensor logits = profiled.forward(input)) {
            model.device().synchronize();
        }
        return new LayerTimes(profile.calls(), model.device().name());
    }

    /**
     * The peak the %peak column divides by: {@code -Ducag.bench.peakGflops}, else the CI machine's for a CPU device;
     * NaN (no column) for a GPU, whose peak this cannot know.
     */
    static double peakGflops(String deviceName) {
        String set = System.getProperty(PEAK_PROPERTY);
        if (set != null) {
            try {
                return Double.parseDouble(set);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("-D" + PEAK_PROPERTY + " must be a number of GFLOP/s, got '" + set
                        + "'", e);
            }
        }
        return deviceName.contains("(GPU)") ? Double.NaN : CI_MACHINE_PEAK;
    }

    /** GFLOP of the convolutions and linear layers of one pass. */
    double forwardGflop() {
        return dense.stream().mapToDouble(OpProfile.Call::flops).sum() / 1e9;
    }

    void print(PrintWriter out) {
        double denseSeconds = dense.stream().mapToDouble(OpProfile.Call::seconds).sum();
        double total = denseSeconds + others.values().stream().mapToDouble(t -> t[0]).sum();
        String peak = Double.isNaN(peakGflops) ? "peak unknown: -D" + PEAK_PROPERTY + "=GFLOPS adds %peak"
                : String.format(Locale.ROOT, "peak %.0f GFLOP/s", peakGflops);
        out.printf(Locale.ROOT, "%nper-layer forward (a wait after every op; %.3f s in all, %s):%n", total, peak);
        out.printf(Locale.ROOT, "  %-3s %-12s %-62s %8s %8s %8s %6s%n", "#", "op", "input weight [residual] -> output",
                "GFLOP", "ms", "GFLOP/s", "%peak");
        int index = 0;
        for (OpProfile.Call c : dense) {
            double rate = c.flops() / c.seconds() / 1e9;
            out.printf(Locale.ROOT, "  %-3d %-12s %-62s %8.2f %8.1f %8.1f %6s%n", ++index, c.op(), c.shapes(),
                    c.flops() / 1e9, 1e3 * c.seconds(), rate, percentOfPeak(rate));
        }
        out.printf(Locale.ROOT, "  %-79s %8.2f %8.1f %8.1f %6s%n", "all convolutions and linear layers",
                forwardGflop(), 1e3 * denseSeconds, forwardGflop() / denseSeconds,
                percentOfPeak(forwardGflop() / denseSeconds));
        others.forEach((op, t) -> out.printf(Locale.ROOT, "  %-79s %8s %8.1f   (%d calls)%n", op, "", 1e3 * t[0],
                (int) t[1]));
    }

    private String percentOfPeak(double gflops) {
        return Double.isNaN(peakGflops) ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * gflops / peakGflops);
    }
}
