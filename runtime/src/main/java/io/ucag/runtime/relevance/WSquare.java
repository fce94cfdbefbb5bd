package io.ucag.runtime.relevance;

import io.ucag.runtime.Device;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;

/**
 * The w^2 rule of deep Taylor decomposition (Montavon et al., Pattern Recognition 2017, for an unbounded input
 * domain): {@code R_i = sum_j w_ij^2 / sum_i' w_i'j^2 R_j}, independent of the input values. Departure from zennit's
 * {@code WSquare}, which squares the bias too and adds it to the denominator: the paper's rule has no bias term, so
 * none is used here and a bias cannot absorb relevance.
 */
public final class WSquare implements Rule {
    @Override
    public String name() {
        return "w-square";
    }

    @Override
    public Tensor relevance(Device d, AffineLayer layer, Tensor input, Tensor relevance) {
        try (TensorScope scope = TensorScope.open()) {
            Tensor squared = d.mul(layer.weight(), layer.weight());
            return scope.keep(spread(d, layer, input, squared, relevance));
        }
    }

    /** {@code f^T(R / stabilise(f(1; v)); v)}: relevance spread in proportion to the weights {@code v}. */
    static Tensor spread(Device d, AffineLayer layer, Tensor input, Tensor v, Tensor relevance) {
        try (TensorScope scope = TensorScope.open()) {
            Tensor z = layer.op().apply(d, Parts.onesLike(d, input), v, null);
            Tensor s = Stabilizer.divide(d, relevance, z, Stabilizer.DEFAULT_EPSILON);
            return scope.keep(layer.op().transpose(d, s, v, input.shape()));
        }
    }
}
