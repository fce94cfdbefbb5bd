package io.ucag.cli;

import io.ucag.models.ActivationHook;
import io.ucag.models.Model;
import io.ucag.models.layers.Layer;
import io.ucag.models.layers.Layers;
import io.ucag.runtime.Device;
import io.ucag.runtime.Tensor;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Wall time of each layer of one forward pass, measured by waiting for the device after every layer (so the
 * layers' times add up to a pass slightly slower than an unobserved one). Convolutions and linear layers get
 * their GFLOP/s (a convolution fused with its batch norm is billed as the convolution); the element-wise layers (batch norm, ReLU, pooling, the residual additions, which are billed to
 * the block's ReLU) are summed by type.
 */
final class LayerTimes {
    private record Timed(String name, String shape, double seconds, double flops) {
    }

    private final List<Timed> dense = new ArrayList<>();
    private final Map<String, double[]> others = new LinkedHashMap<>(); // type -> {seconds, count}
    private final double peakGflops = Double.parseDouble(System.getProperty("ucag.bench.peakGflops", "196"));

    private LayerTimes() {
    }

    /** Times one forward pass of {@code input} (closed afterwards) through {@code model}. */
    static LayerTimes measure(Model model, Tensor input) {
        LayerTimes times = new LayerTimes();
        Device d = model.device();
        try (input) {
            d.synchronize();
            long[] last = {System.nanoTime()};
            Map<String, Layer.Conv2d> fusable = Layers.convolutionsBeforeBatchNorms(model.spec().root());
            ActivationHook hook = new ActivationHook() {
                @Override
                public void onOutput(String name, Tensor output) {
                    d.synchronize();
                    long now = System.nanoTime();
                    Layer.Conv2d fusedConv = fusable.get(name);
                    times.add(fusedConv != null ? fusedConv : model.layer(name), output, (now - last[0]) / 1e9);
                    last[0] = System.nanoTime();
                }

                @Override
                public boolean observes(String name) { // let the real pass's fusions happen
                    return !fusable.containsValue(model.layer(name));
                }
            };
            try (Tensor logits = model.forward(d, input, hook)) {
                d.synchronize();
            }
        }
        return times;
    }

    private void add(Layer layer, Tensor output, double seconds) {
        if (layer instanceof Layer.Conv2d c) {
            double flops = 2.0 * output.shape().numel() * c.inChannels() * c.kernelH() * c.kernelW();
            dense.add(new Timed(c.name(), c.inChannels() + "->" + output.shape() + " " + c.kernelH() + "x"
                    + c.kernelW() + " s" + c.params().strideH(), seconds, flops));
        } else if (layer instanceof Layer.Linear l) {
            dense.add(new Timed(l.name(), l.inFeatures() + "->" + output.shape(), seconds,
                    2.0 * output.shape().numel() * l.inFeatures()));
        } else if (!(layer instanceof Layer.Sequential || layer instanceof Layer.Residual)) {
            double[] t = others.computeIfAbsent(layer.getClass().getSimpleName(), k -> new double[2]);
            t[0] += seconds;
            t[1]++;
        }
    }

    /** GFLOP of the convolutions and linear layers of one pass. */
    double forwardGflop() {
        return dense.stream().mapToDouble(Timed::flops).sum() / 1e9;
    }

    void print(PrintWriter out) {
        double total = dense.stream().mapToDouble(Timed::seconds).sum()
                + others.values().stream().mapToDouble(t -> t[0]).sum();
        out.printf(Locale.ROOT, "%nper-layer forward (a wait after every layer; %.3f s in all, peak %.0f GFLOP/s):%n",
                total, peakGflops);
        out.printf(Locale.ROOT, "  %-22s %-30s %8s %8s %8s %6s%n", "layer", "in->out", "GFLOP", "ms", "GFLOP/s",
                "%peak");
        for (Timed t : dense) {
            double rate = t.flops() / t.seconds() / 1e9;
            out.printf(Locale.ROOT, "  %-22s %-30s %8.2f %8.1f %8.1f %5.0f%%%n", t.name(), t.shape(),
                    t.flops() / 1e9, 1e3 * t.seconds(), rate, 100 * rate / peakGflops);
        }
        double denseSeconds = dense.stream().mapToDouble(Timed::seconds).sum();
        out.printf(Locale.ROOT, "  %-53s %8.2f %8.1f %8.1f %5.0f%%%n", "all convolutions and linear layers",
                forwardGflop(), 1e3 * denseSeconds, forwardGflop() / denseSeconds,
                100 * forwardGflop() / denseSeconds / peakGflops);
        others.forEach((type, t) -> out.printf(Locale.ROOT, "  %-53s %8s %8.1f   (%d layers)%n", type, "",
                1e3 * t[0], (int) t[1]));
    }
}
