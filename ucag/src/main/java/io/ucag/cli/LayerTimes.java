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
    private final Map<String, double[]> others = new LinkedHashMap<>(); // op -> {seconds, calls}
    private final double peakGflops = Double.parseDouble(System.getProperty("ucag.bench.peakGflops", "196"));

    private LayerTimes(List<OpProfile.Call> calls) {
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
        return new LayerTimes(profile.calls());
    }

    /** GFLOP of the convolutions and linear layers of one pass. */
    double forwardGflop() {
        return dense.stream().mapToDouble(OpProfile.Call::flops).sum() / 1e9;
    }

    void print(PrintWriter out) {
        double denseSeconds = dense.stream().mapToDouble(OpProfile.Call::seconds).sum();
        double total = denseSeconds + others.values().stream().mapToDouble(t -> t[0]).sum();
        out.printf(Locale.ROOT, "%nper-layer forward (a wait after every op; %.3f s in all, peak %.0f GFLOP/s):%n",
                total, peakGflops);
        out.printf(Locale.ROOT, "  %-3s %-12s %-62s %8s %8s %8s %6s%n", "#", "op", "input weight [residual] -> output",
                "GFLOP", "ms", "GFLOP/s", "%peak");
        int index = 0;
        for (OpProfile.Call c : dense) {
            double rate = c.flops() / c.seconds() / 1e9;
            out.printf(Locale.ROOT, "  %-3d %-12s %-62s %8.2f %8.1f %8.1f %5.0f%%%n", ++index, c.op(), c.shapes(),
                    c.flops() / 1e9, 1e3 * c.seconds(), rate, 100 * rate / peakGflops);
        }
        out.printf(Locale.ROOT, "  %-79s %8.2f %8.1f %8.1f %5.0f%%%n", "all convolutions and linear layers",
                forwardGflop(), 1e3 * denseSeconds, forwardGflop() / denseSeconds,
                100 * forwardGflop() / denseSeconds / peakGflops);
        others.forEach((op, t) -> out.printf(Locale.ROOT, "  %-79s %8s %8.1f   (%d calls)%n", op, "", 1e3 * t[0],
                (int) t[1]));
    }
}
