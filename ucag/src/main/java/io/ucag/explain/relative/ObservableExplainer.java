package io.ucag.explain.relative;

import io.ucag.explain.RelevanceFamily;
import io.ucag.explain.Explanation;
import io.ucag.models.Model;
import io.ucag.runtime.Tensor;

/**
 * A relevance method that shows a {@link RelevanceObserver} the relevance at each layer's input as its pass
 * crosses the layer (RAP, RSP, AGF), for {@code explain --dump-layer} and for studying conservation.
 */
public interface ObservableExplainer extends RelevanceFamily {
    /** {@link #explain(Model, Tensor, int[])}, showing {@code observer} the relevance at every layer's input. */
    Explanation explain(Model model, Tensor images, int[] targets, RelevanceObserver observer);

    @Override
    default Explanation explain(Model model, Tensor images, int[] targets) {
        return explain(model, images, targets, RelevanceObserver.NONE);
    }
}
