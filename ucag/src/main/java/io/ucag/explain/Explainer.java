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
     * Patches per pass for methods that keep every layer's activations. UCAG with LRP alpha1-beta0 on ResNet-50
     * (OpenCL, 2-core Zen 4), two runs each, alternating, on 2026-11-26: micro-batch 2, 3, 4 took 10.7-11.3,
     * 10.1-10.7, 10.8 s and peaked at 3.0, 2.7, 4.6 GB resident; after the day's padded-plane relevance and pool
     * slack, 3, 4, 6 took 9.7-10.0, 9.9-10.6, 12.0-13.0 s and peaked at 2.7, 5.0, 7.0 GB. (Before the relevance pass
     * was fused and cached, 1, 2, 3, 4, 6 peaked at 8.2, 3.7, 4.1, 6.9, 7.0 GB in 18.6, 16.8, 16.0, 16.8, 17.7 s.)
     * The peaks are mostly freed device buffers that glibc keeps (with MALLOC_MMAP_THRESHOLD_=131072 they shrink), so
     * they do not simply grow with the batch; three is the fastest and the lowest.
     */
    int ACTIVATION_HEAVY_BATCH = 3;
}
