package io.ucag.cli;

import io.ucag.explain.RelevanceExplainer;
import io.ucag.models.Model;
import io.ucag.models.relevance.LayerGradients;
import io.ucag.models.relevance.Relevance;
import io.ucag.models.relevance.RelevancePass;
import io.ucag.models.relevance.Seed;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.io.Npy;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code explain --dump-layer NAME --dump-dir DIR}: the relevance and the gradient (of the target logit) at the
 * output of named layers and at the input, as {@code .npy} files, and the per-layer relevance sums (conservation)
 * as a table.
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

    private static void row(PrintWriter console, String name, Tensor relevance, float logit) {
        double sum = 0;
        for (float v : relevance.toArray()) {
            sum += v;
        }
        console.printf(Locale.ROOT, "%-28s %-18s %14.6g %12.4f%n", name, relevance.shape(), sum, sum / logit);
    }
}
