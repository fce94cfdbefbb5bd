package io.ucag.explain.relative;

import io.ucag.models.Preprocessing;
import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.Conv2dParams;

/**
 * RSP's sectional rule for a convolution (Nam, Choi and Lee, "Interpreting Deep Neural Networks with Relative
 * Sectional Propagation by Analyzing Comparative Gradients and Hostile Activations", AAAI 2021, arXiv 2012.03434;
 * as the authors' {@code Conv2d.RSP_relprop}), for ONE batch item. The relevance R at the output is split into its
 * positive part R+ and the magnitude R- of its negative part, and each propagates through its own "sectional"
 * weights -- the correlation of that part with the input, which replaces the layer's weights:
 * <pre>
 *   V+ = sum_positions R+_j (x) a+_i      (the weight gradient of sum(conv(a+, w) * R+); V- likewise with R-)
 *   C+_i = a+_i sum_j V+_ij R+_j / G+_j,  G+_j = sum_i a+_i V+_ij           (the z-rule through V+; C- likewise)
 *   1x1 kernels: R_i = C+_i - C-_i
 *   otherwise:   R_i = 2 (C+_i - C-_i) - [C_i != 0] sum_j R_j / #{k : C_k != 0}    (a uniform shift)
 * </pre>
 * Both forms conserve: sum_i R_i = sum_j R_j. Only the positive part a+ of the input carries relevance (the
 * authors' code ignores the negative part). The first layer (input the image) uses {@link ZBox}.
 *
 * <p>Not reproduced: the authors' code computes V+ and V- over the whole batch (it runs one image at a time); here
 * each item gets its own, so items of a batch are explained as if alone.
 */
public final class RspRule implements Propagation.WeightedRule {
    private final Preprocessing preprocessing;

    public RspRule(Preprocessing preprocessing) {
        this.preprocessing = preprocessing;
    }

    @Override
    public Tensor propagate(Device d, Step.Weighted layer, Tensor relevance) {
        if (relevance.shape().dim(0) != 1) {
            throw new IllegalArgumentException("RSP propagates one batch item at a time, got " + relevance.shape());
        }
        if (layer.imageInput()) {
            return ZBox.propagate(d, layer, relevance, preprocessing);
        }
        Conv2dParams p = layer.params();
        Shape kernel = layer.weight().shape();
        Tensor a = d.relu(layer.input());
        Tensor rPos = d.relu(relevance);
        Tensor rNeg = d.relu(d.scale(relevance, -1f));
        Tensor c = d.add(section(d, a, rPos, kernel, p), d.scale(section(d, a, rNeg, kernel, p), -1f));
        if (kernel.dim(2) == 1 && kernel.dim(3) == 1) {
            return c;
        }
        return Stabilized.shift(d, d.scale(c, 2f), Stabilized.itemSum(d, relevance));
    }

    /** The z-rule share of {@code part} (>= 0) through its own sectional weights. */
    private static Tensor section(Device d, Tensor a, Tensor part, Shape kernel, Conv2dParams p) {
        Tensor v = d.conv2dBackwardWeight(part, a, kernel.dim(2), kernel.dim(3), p);
        Tensor g = d.conv2d(a, v, null, p);
        return d.mul(a, Transposed.of(d, Stabilized.divideNonNegative(d, part, g), v, a.shape(), p));
    }
}
