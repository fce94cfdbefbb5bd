package io.ucag.cli;

import io.ucag.explain.Explanation;
import io.ucag.explain.RelevanceExplainer;
import io.ucag.explain.relative.ObservableExplainer;
import io.ucag.models.Model;
import io.ucag.models.relevance.LayerGradients;
import io.ucag.models.relevance.Relevance;
import io.ucag.models.relevance.RelevancePass;
import io.ucag.models.relevance.Seed;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.io.Npy;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code explain --dump-layer NAME --dump-dir DIR}: the relevance and the gradient (of the target logit) at the
 * output of named layers and at the input, as {@code .npy} files, and the per-layer relevance sums (conservation)
 * as a table; for RAP, RSP and AGF the relevance at the named layers' inputs.
 */
final class RelevanceDump {
    private RelevanceDump() {
    }

    /** Splits repeated and comma-separated {@code --dump-layer} values; empty when none. */
    static List<String> layerNames(List<String> flags) {
        Set<String> names = new LinkedHashSet<>();
        for (String flag : flags) {
            for (String part : flag.split(",")) {
                if (!part.isBlank()) {
                    names.add(part.strip());
                }
            }
        }
        return List.copyOf(names);
    }

    /** Writes {@code <layer>.relevance.npy}, {@code <layer>.gradient.npy}, {@code input.*}; prints the table. */
    static void write(Model model, Tensor input, RelevanceExplainer method, int target, List<String> layers, Path dir,
                      PrintWriter console) throws IOException {
        Files.createDirectories(dir);
        List<String> valid = RelevancePass.layerNames(model);
        for (String name : layers) {
            if (!valid.contains(name)) {
                throw new IllegalArgumentException("--dump-layer: " + model.spec().architecture() + " has no layer '"
                        + name + "'; valid layers: " + String.join(", ", valid));
            }
        }
        List<String> ordered = new ArrayList<>(valid);
        ordered.retainAll(layers);
        try (TensorScope scope = TensorScope.open();
             Relevance r = method.relevance(model, input, new int[] {target}, ordered);
             LayerGradients g = LayerGradients.of(model, input, (d, logits) -> Seed.oneHot(d, new int[] {target},
                     logits.shape().dim(1)), ordered)) {
            float logit = r.logits().toArray()[target];
            console.printf(Locale.ROOT, "relevance of %s (composite %s), class %d, logit %.6g%n", method.name(),
                    method.composite(), target, logit);
            console.printf(Locale.ROOT, "%-28s %-18s %14s %12s%n", "layer", "shape", "sum(R)", "sum(R)/logit");
            for (int i = ordered.size() - 1; i >= 0; i--) { // from the logits down, as relevance flows
                String name = ordered.get(i);
                row(console, name, r.at(name), logit);
                Npy.write(dir.resolve(name + ".relevance.npy"), r.at(name));
                Npy.write(dir.resolve(name + ".gradient.npy"), g.layers().get(name));
            }
            row(console, "input", r.input(), logit);
            Npy.write(dir.resolve("input.relevance.npy"), r.input());
            Npy.write(dir.resolve("input.gradient.npy"), g.input());
            console.printf("wrote %d layer(s) and the input to %s%n", ordered.size(), dir);
        }
    }

    /**
     * For RAP, RSP and AGF, whose passes report the relevance at each layer's <em>input</em>: writes {@code
     * <layer>.input-relevance.npy} for the named layers ({@code .2}, {@code .3} ... for a module crossed again, as
     * a bottleneck's shared ReLU is) and prints their sums.
     */
    static void writeObserved(Model model, Tensor input, ObservableExplainer method, int target, List<String> layers,
                              Path dir, PrintWriter console) throws IOException {
        layers.forEach(model::layer); // an unknown name fails here, listing valid ones
        Files.createDirectories(dir);
        Map<String, List<float[]>> seen = new LinkedHashMap<>();
        Map<String, Shape> shapes = new LinkedHashMap<>();
        try (Explanation e = method.explain(model, input, new int[] {target}, (layer, relevance) -> {
            if (layers.contains(layer)) {
                seen.computeIfAbsent(layer, k -> new ArrayList<>()).add(relevance.toArray());
                shapes.put(layer, relevance.shape());
            }
        })) {
            float logit = e.logits().toArray()[target];
            console.printf(Locale.ROOT, "relevance of %s at layer inputs, class %d, logit %.6g%n", method.name(), target,
                    logit);
            console.printf(Locale.ROOT, "%-28s %-18s %14s %12s%n", "layer input", "shape", "sum(R)", "sum(R)/logit");
            for (Map.Entry<String, List<float[]>> entry : seen.entrySet()) {
                for (int i = 0; i < entry.getValue().size(); i++) {
                    float[] values = entry.getValue().get(i);
                    String name = entry.getKey() + (i == 0 ? "" : "." + (i + 1));
                    double sum = 0;
                    for (float v : values) {
                        sum += v;
                    }
                    console.printf(Locale.ROOT, "%-28s %-18s %14.6g %12.4f%n", name, shapes.get(entry.getKey()), sum,
                            sum / logit);
                    Npy.write(dir.resolve(name + ".input-relevance.npy"), shapes.get(entry.getKey()).dims(), values);
                }
            }
            console.printf("wrote the input relevance of %d layer(s) to %s%n", seen.size(), dir);
        }
    }

    private static void row(PrintWriter console, String name, Tensor relevance, float logit) {
        double sum = 0;
        for (float v : relevance.toArray()) {
            sum += v;
        }
        console.printf(Locale.ROOT, "%-28s %-18s %14.6g %12.4f%n", name, relevance.shape(), sum, sum / logit);
    }
}
