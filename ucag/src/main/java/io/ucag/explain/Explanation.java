package io.ucag.explain;

import io.ucag.runtime.Tensor;

/**
 * What an {@link Explainer} returns; closing releases both tensors.
 *
 * @param maps   raw attribution maps (N,1,H,W)
 * @param logits the model's logits (N, classes) for the explained images
 */
public record Explanation(Tensor maps, Tensor logits) implements AutoCloseable {
    @Override
    public void close() {
        maps.close();
        logits.close();
    }
}
