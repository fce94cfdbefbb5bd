package io.ucag.explain;

/**
 * What the relevance methods (LRP and its variants, RAP, RSP, AGF) share as explainers: signed maps, and a
 * relevance pass that keeps every layer's activations, so UCAG gives them {@link #ACTIVATION_HEAVY_BATCH} patches at
 * a time.
 */
public interface RelevanceFamily extends Explainer {
    /** Relevance maps are signed. */
    @Override
    default boolean signed() {
        return true;
    }

    @Override
    default int maxBatch() {
        return ACTIVATION_HEAVY_BATCH; // the relevance pass keeps every layer's activations
    }
}
