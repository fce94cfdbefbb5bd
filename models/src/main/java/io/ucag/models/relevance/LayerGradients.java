package io.ucag.models.relevance;

import io.ucag.models.Model;
import io.ucag.runtime.Device;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.autograd.Gradients;
import io.ucag.runtime.autograd.Tape;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Plain gradients at named layers, the counterpart of {@link Relevance#layers()}: one autograd pass of the unmodified
 * model (BatchNorm not folded) from a gradient seed at the logits, e.g. one-hot for d(target logit). A module called
 * several times reports its last call, as forward hooks do. Closing releases every tensor.
 *
 * @param input  the input gradient (N,C,H,W)
 * @param logits (N, classes)
 * @param layers layer name to the gradient at that layer's output
 */
public record LayerGradients(Tensor input, Tensor logits, Map<String, Tensor> layers) implements AutoCloseable {
    public LayerGradients {
        layers = Map.copyOf(layers);
    }

    /** Gradients of {@code <seed(logits), logits>} at the input and at the outputs of {@code names}. */
    public static LayerGradients of(Model model, Tensor input, Seed seed, Collection<String> names) {
        Set<String> wanted = new LinkedHashSet<>(names);
        List<String> valid = RelevancePass.layerNames(model);
        for (String name : wanted) {
            if (!valid.contains(name)) {
                throw new IllegalArgumentException(model.spec().architecture() + " has no layer '" + name
                        + "'; valid layers: " + String.join(", ", valid));
            }
        }
        Device d = model.device();
        Map<String, Tensor> watched = new LinkedHashMap<>();
        try (Tape tape = new Tape(); TensorScope scope = TensorScope.open()) {
            Tensor x = tape.watch(input.reshape(input.shape()));
            Tensor logits = model.forward(tape.on(d), x, (name, output) -> {
                if (wanted.contains(name)) {
                    watched.put(name, tape.watch(output)); // the last call wins
                }
            });
            try (Gradients g = tape.backward(logits, seed.at(d, logits))) {
                Map<String, Tensor> gradients = new LinkedHashMap<>();
                for (Map.Entry<String, Tensor> e : watched.entrySet()) {
                    gradients.put(e.getKey(), g.of(e.getValue()).share());
                }
                return new LayerGradients(g.of(x).share(), logits.share(), gradients);
            }
        }
    }

    @Override
    public void close() {
        input.close();
        logits.close();
        layers.values().forEach(Tensor::close);
    }
}
