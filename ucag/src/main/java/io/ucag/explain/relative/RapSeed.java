package io.ucag.explain.relative;

import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.ReduceOp;

/**
 * RAP's first step, through the classifier (Nam et al., AAAI 2020, "absolute influence normalisation"): the target
 * logit y_t is shared among the classifier's inputs by the magnitude of their contributions c_i = a_i w_ti,
 * <pre>
 *   R_i = y_t |c_i| / sum_k |c_k|
 * </pre>
 * so every neuron that moves the logit, up or down, starts relevant, and the sum is the logit (bias included).
 * The authors' code first spreads the bias over the contributions and then takes magnitudes; for a non-negative
 * classifier input (always, after a ReLU or pooling) that is this formula exactly.
 */
public final class RapSeed {
    private RapSeed() {
    }

    /**
     * The relevance (N,K) at the input of the last linear layer {@code top}.
     *
     * @param logits  (N,M) the network's output
     * @param targets the class explained for each item
     */
    public static Tensor seed(Device d, Step.Weighted top, Tensor logits, int[] targets) {
        Shape in = top.inputShape();
        int classes = logits.shape().dim(1);
        Tensor oneHot = io.ucag.explain.Targets.oneHot(d, targets, classes);
        Tensor weight = d.reshape(top.weight(), Shape.of(classes, in.dim(1)));
        Tensor targetRows = d.matmul(oneHot, weight, false, false);                  // (N,K): w_t per item
        Tensor magnitude = d.abs(d.mul(d.reshape(top.input(), in), targetRows));    // |a_i w_ti|
        Tensor total = d.reduce(magnitude, ReduceOp.SUM, new int[] {1}, true);      // (N,1)
        Tensor logit = d.reduce(d.mul(logits, oneHot), ReduceOp.SUM, new int[] {1}, true);
        return d.mul(magnitude, Stabilized.divideNonNegative(d, logit, total));
    }
}
