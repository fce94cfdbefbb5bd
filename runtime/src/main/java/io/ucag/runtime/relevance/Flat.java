package io.ucag.runtime.relevance;

import io.ucag.runtime.Device;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;

/**
 * The flat rule (Lapuschkin et al., Nature Communications 2019): every input in an output's receptive field gets an
 * equal share, {@code R_i = sum_j 1 / sum_i' 1 R_j}, independent of the input values and weights (zennit's
 * {@code Flat}: inputs and weights set to ones, no bias). Used on a first layer to spread relevance uniformly.
 */
public final class Flat implements Rule {
    @Override
    public String name() {
        return "flat";
    }

    @Override
    public Tensor relevance(Device d, AffineLayer layer, Tensor input, Tensor relevance) {
        try (TensorScope scope = TensorScope.open()) {
            return scope.keep(WSquare.spread(d, layer, input, Parts.onesLike(d, layer.weight()), relevance));
        }
    }
}
