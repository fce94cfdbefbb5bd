package io.ucag.explain.relative;

import io.ucag.models.Preprocessing;
import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.Conv2dParams;

/**
 * RAP's bipolar rule for a convolution or linear layer (Nam et al., "Relative Attributing Propagation", AAAI 2020,
 * section "Relevance propagation with relative influence", as the authors' {@code Conv2d.RAP_relprop} does it).
 * With contributions z_ij = a_i w_ij of input i to output j, P_j the sum of the positive ones and Q_j the sum of the
 * magnitudes of the negative ones:
 * <pre>
 *   C_i = sum_j  R+_j z+_ij / P_j                                   positive relevance to positive contributors
 *        + sum_j (R_j / (P_j + Q_j) + R-_j / Q_j) |z-_ij|           relevance through the negative contributions
 *   R_i = C_i - [C_i != 0] (sum_k C_k - sum_j R_j) / #{k : C_k != 0}          the uniform shift (per item)
 * </pre>
 * The shift restores conservation (sum_i R_i = sum_j R_j exactly) and turns the neurons with less than the
 * average share negative: relevance is relative. Dead neurons (a_i = 0) keep zero. Divisions are stabilised.
 * The first layer (input the image) uses {@link ZBox} instead.
 *
 * <p>Not reproduced from the authors' code: its linear layers pass negative relevance to the positive
 * contributors where its convolutions pass it to the negative ones (here both follow the convolution); for a
 * negative input it splits contributions by the sign of the input instead of the sign of a_i w_ij, and shifts each
 * half separately (here: by the sign of z_ij, one shift); its BatchNorm rule (identity, with a variance it squares)
 * is replaced by folding the BatchNorm into the convolution.
 */
public final class RapRule implements Propagation.WeightedRule {
    private final Preprocessing preprocessing;

    public RapRule(Preprocessing preprocessing) {
        this.preprocessing = preprocessing;
    }

    @Override
    public Tensor propagate(Device d, Step.Weighted layer, Tensor relevance) {
        if (layer.imageInput()) {
            return ZBox.propagate(d, layer, relevance, preprocessing);
        }
        Tensor w = layer.weight();
        Tensor wPos = d.relu(w);
        Tensor wNeg = d.relu(d.scale(w, -1f)); // |w-|
        Conv2dParams p = layer.params();
        Tensor a = layer.input();
        Shape shape = a.shape();
        Tensor aPos = layer.nonNegativeInput() ? a : d.relu(a);
        Tensor aNeg = layer.nonNegativeInput() ? null : d.relu(d.scale(a, -1f)); // |a-|
        // z+ = a+ w+ + a- w-, |z-| = a+ |w-| + |a-| w+
        Tensor positive = d.conv2d(aPos, wPos, null, p);
        Tensor negative = d.conv2d(aPos, wNeg, null, p);
        if (aNeg != null) {
            positive = d.add(positive, d.conv2d(aNeg, wNeg, null, p));
            negative = d.add(negative, d.conv2d(aNeg, wPos, null, p));
        }
        Tensor rPos = d.relu(relevance);
        Tensor rNeg = d.add(relevance, d.scale(rPos, -1f));
        Tensor toPositive = Stabilized.divideNonNegative(d, rPos, positive);
        Tensor toNegative = d.add(Stabilized.divideNonNegative(d, relevance, d.add(positive, negative)),
                Stabilized.divideNonNegative(d, rNeg, negative));
        Tensor c = d.mul(aPos, d.add(Transposed.of(d, toPositive, wPos, shape, p),
                Transposed.of(d, toNegative, wNeg, shape, p)));
        if (aNeg != null) {
            c = d.add(c, d.mul(aNeg, d.add(Transposed.of(d, toPositive, wNeg, shape, p),
                    Transposed.of(d, toNegative, wPos, shape, p))));
        }
        return Stabilized.shift(d, c, Stabilized.itemSum(d, relevance));
    }
}
