package io.ucag.models.relevance;

import io.ucag.runtime.Tensor;
import java.util.Map;

/**
 * What a {@link RelevancePass} returns; closing releases every tensor.
 *
 * @param input  the input relevance R (N,C,H,W), per input element (sum over axis 1 for a pixel map)
 * @param logits the logits (N, classes) of the pass's forward (BatchNorm folded: equal to the model's up to rounding)
 * @param layers layer name to the relevance at that layer's output, for the layers that were asked for
 */
public record Relevance(Tensor input, Tensor logits, Map<String, Tensor> layers) implements AutoCloseable {
    public Relevance {
        layers = Map.copyOf(layers);
    }

    /** The relevance at the output of {@code layer}; an error names the recorded layers. */
    public Tensor at(String layer) {
        Tensor t = layers.get(layer);
        if (t == null) {
            throw new IllegalArgumentException("no relevance recorded for layer '" + layer + "'; recorded: "
                    + layers.keySet());
        }
        return t;
    }

    @Override
    public void close() {
        input.close();
        logits.close();
        layers.values().forEach(Tensor::close);
    }
}
