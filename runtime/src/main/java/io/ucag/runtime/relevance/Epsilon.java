package io.ucag.runtime.relevance;

import io.ucag.runtime.Device;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;

/**
 * The LRP-epsilon rule (Bach et al. 2015, eq. 58; Montavon et al. 2019, eq. 4):
 * {@code R_i = x_i * sum_j w_ij R_j / (z_j + eps * sgn(z_j))} with {@code z = f(x; W) + b} (the bias included).
 * {@code eps = 0} is LRP-0 (eq. 1 of Montavon et al. 2019), which on a bias-free ReLU network equals
 * Gradient x Input; zeros are then guarded as {@link Stabilizer} describes.
 */
public final class Epsilon implements Rule {
    private final float epsilon;

    /** @param epsilon the stabiliser, {@code >= 0} */
    public Epsilon(float epsilon) {
        if (!(epsilon >= 0) || Float.isInfinite(epsilon)) {
            throw new IllegalArgumentException("epsilon rule: epsilon must be finite and >= 0, got " + epsilon);
        }
        this.epsilon = epsilon;
    }

    /** LRP-0: the epsilon rule with epsilon 0. */
    public static Epsilon lrp0() {
        return new Epsilon(0f);
    }

    public float epsilon() {
        return epsilon;
    }

    @Override
    public String name() {
        return epsilon == 0 ? "lrp-0" : "epsilon(" + epsilon + ")";
    }

    @Override
    public Tensor relevance(Device d, AffineLayer layer, Tensor input, Tensor relevance) {
        try (TensorScope scope = TensorScope.open()) {
            Tensor z = layer.op().apply(d, input, layer.weight(), layer.bias());
            Tensor s = Stabilizer.divide(d, relevance, z, epsilon);
            return scope.keep(layer.op().transposeTimes(d, input, s, layer.weight()));
        }
    }
}
