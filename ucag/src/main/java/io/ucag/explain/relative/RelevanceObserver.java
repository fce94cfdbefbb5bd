package io.ucag.explain.relative;

import io.ucag.runtime.Tensor;

/**
 * Sees the relevance at the input of each layer as a relevance pass crosses it (for studying how relevance flows,
 * and for testing conservation). The tensor is only valid during the call: keep a copy ({@code toArray}) if needed.
 */
@FunctionalInterface
public interface RelevanceObserver {
    RelevanceObserver NONE = (layer, relevance) -> { };

    /**
     * @param layer     the module name of the layer just crossed
     * @param relevance the relevance at that layer's input, in the input's shape
     */
    void onRelevance(String layer, Tensor relevance);
}
