package io.ucag.runtime.relevance;

import io.ucag.runtime.Device;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;

/**
 * The LRP-gamma rule (Montavon et al. 2019, eq. 5), in zennit's generalised form for signed inputs (Andeol et al.
 * 2021): an output with {@code z_j > 0} shares its relevance among the contributions {@code x+ (w + gamma w+)} and
 * {@code x- (w + gamma w-)}, one with {@code z_j < 0} among {@code x+ (w + gamma w-)} and {@code x- (w + gamma w+)};
 * the biases get the same modifier on the first term of each. For non-negative inputs and {@code z_j > 0} this is
 * the paper's {@code R_i = sum_j x_i (w_ij + gamma w+_ij) / sum_i' x_i' (w_i'j + gamma w+_i'j) R_j}. An output with
 * {@code z_j = 0} passes no relevance. Denominators are stabilised with {@link Stabilizer#DEFAULT_EPSILON}.
 */
public final class Gamma implements Rule {
    private final float gamma;

    /** @param gamma weight of the added positive parts, {@code >= 0} (zennit's default is 0.25) */
    public Gamma(float gamma) {
        if (!(gamma >= 0) || Float.isInfinite(gamma)) {
            throw new IllegalArgumentException("gamma rule: gamma must be finite and >= 0, got " + gamma);
        }
        this.gamma = gamma;
    }

    public float gamma() {
        return gamma;
    }

    @Override
    public String name() {
        return "gamma(" + gamma + ")";
    }

    @Override
    public Tensor relevance(Device d, AffineLayer layer, Tensor input, Tensor relevance) {
        try (TensorScope scope = TensorScope.open()) {
            Tensor w = layer.weight();
            Tensor b = layer.bias();
            Tensor weightUp = up(d, w);
            Tensor weightDown = down(d, w);
            Tensor biasUp = b == null ? null : up(d, b);
            Tensor biasDown = b == null ? null : down(d, b);
            Tensor z = layer.op().apply(d, input, w, b);
            Tensor positiveOutputs = d.sign(d.relu(z));              // 1 where z > 0
            Tensor negativeOutputs = d.sign(d.relu(d.scale(z, -1f))); // 1 where z < 0
            Tensor inputPos = layer.nonNegativeInput() ? input : Parts.positive(d, input);
            Tensor inputNeg = layer.nonNegativeInput() ? null : Parts.negative(d, input);
            Tensor up = AlphaBeta.share(d, layer, inputPos, inputNeg, weightUp, weightDown, biasUp,
                    d.mul(relevance, positiveOutputs), AlphaBeta.Sign.ANY);
            Tensor down = AlphaBeta.share(d, layer, inputPos, inputNeg, weightDown, weightUp, biasDown,
                    d.mul(relevance, negativeOutputs), AlphaBeta.Sign.ANY);
            return scope.keep(d.add(up, down));
        }
    }

    /** {@code t + gamma t+} of a weight or bias, kept with it ({@link Tensor#derived}). */
    private Tensor up(Device d, Tensor t) {
        return t.derived("plus " + gamma + " positive part",
                () -> Parts.plusScaled(d, t, gamma, Parts.positiveParameter(d, t)));
    }

    /** {@code t + gamma t-} of a weight or bias, kept with it. */
    private Tensor down(Device d, Tensor t) {
        return t.derived("plus " + gamma + " negative part",
                () -> Parts.plusScaled(d, t, gamma, Parts.negativeParameter(d, t)));
    }
}
