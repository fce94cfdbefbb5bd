package io.ucag.explain;

import io.ucag.models.Model;
import io.ucag.runtime.Tensor;

/**
 * An attribution method, batch-native: one target class per batch item. Implementations keep no state between
 * calls and may be shared by threads when the model's device may.
 */
public interface Explainer {
    /** Registry name, e.g. {@code gradcam}. */
    String name();

    /** True for maps with meaningful signs (gradients, relevance), false for CAM-style maps. */
    boolean signed();

    /**
     * Raw maps (N,1,H,W) at the resolution of {@code images} (N,3,H,W) -- no ReLU, no normalisation -- and the
     * logits (N, classes) of the same forward pass. {@code targets[n]} is the class explained for item n.
     */
    Explanation explain(Model model, Tensor images, int[] targets);

    /**
     * The most images this method should be given in one call to keep memory bounded; UCAG cuts its micro-batches
     * no larger. Methods whose backward pass keeps every layer's activations (the gradient and relevance families)
     * return {@link #ACTIVATION_HEAVY_BATCH}; the CAM family keeps one layer and takes any batch.
     */
    default int maxBatch() {
        return Integer.MAX_VALUE;
    }

    /**
     * Patches per pass for methods that keep every layer's activations: six 322 px patches through ResNet-50 peak
     * near 3 GB with the relevance pass (twelve: 4.8 GB).
     */
    int ACTIVATION_HEAVY_BATCH = 6;
}
