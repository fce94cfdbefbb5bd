package io.ucag.runtime.relevance;

import io.ucag.runtime.Device;
import io.ucag.runtime.Tensor;

/**
 * An LRP rule: how the relevance at an affine layer's output is redistributed onto its input. Implementations are
 * immutable and keep no state, so one rule may serve many layers and threads.
 */
public interface Rule {
    /** A short name with the parameters, e.g. {@code epsilon(0.25)}, {@code alpha-beta(2,1)}. */
    String name();

    /**
     * The input relevance (the shape of {@code input}) of {@code layer} given its output relevance
     * {@code relevance} (the shape of the layer's output). Linear in {@code relevance}. Closes nothing it was given.
     *
     * @param input     the layer's input x, (N,C,H,W) or (N,K)
     * @param relevance R_out, (N,O,Ho,Wo) or (N,M)
     */
    Tensor relevance(Device d, AffineLayer layer, Tensor input, Tensor relevance);

    /**
     * {@code relevance(d, layer, input, relevance) + addend} (the input's shape): the input relevance where a
     * residual block's other path adds its own; rules that can add it in their last op's store override this.
     */
    default Tensor relevancePlus(Device d, AffineLayer layer, Tensor input, Tensor relevance, Tensor addend) {
        try (Tensor own = relevance(d, layer, input, relevance)) {
            return d.add(own, addend);
        }
    }
}
