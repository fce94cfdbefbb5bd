package io.ucag.explain;

import io.ucag.models.Model;
import io.ucag.models.relevance.Composite;
import io.ucag.models.relevance.Composites;
import io.ucag.models.relevance.Relevance;
import io.ucag.runtime.Device;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.ReduceOp;
import java.util.Collection;

/**
 * An explainer built on a relevance pass ({@link io.ucag.models.relevance.RelevancePass}) under a named
 * {@link Composite}. Its maps are signed: the input relevance summed over the colour channels, (N,1,H,W), raw.
 */
public interface RelevanceExplainer extends RelevanceFamily {
    /** Registry name of the composite this explainer uses. */
    String composite();

    /** The composite for {@code model} (z-box bounds from its preprocessing). */
    default Composite compositeFor(Model model) {
        return Composites.create(composite(), model.spec().preprocessing());
    }

    /**
     * The relevance pass behind this explainer's maps, with the relevance at the outputs of {@code layers}
     * (attribution internals: dumps and conservation tables). The caller closes it.
     */
    Relevance relevance(Model model, Tensor images, int[] targets, Collection<String> layers);

    /** Sum over the channel axis: (N,C,H,W) to (N,1,H,W). */
    static Tensor channelSum(Device d, Tensor relevance) {
        return d.reduce(relevance, ReduceOp.SUM, new int[] {1}, true);
    }
}
