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
}
