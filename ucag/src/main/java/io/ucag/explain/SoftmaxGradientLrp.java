package io.ucag.explain;

import io.ucag.models.relevance.Composites;
import io.ucag.models.relevance.Seed;
import io.ucag.runtime.Device;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.ops.ReduceOp;

/**
 * Softmax-Gradient LRP, SGLRP (Iwana, Kuroki and Uchida, "Explaining Convolutional Neural Networks using Softmax
 * Gradient Layer-wise Relevance Propagation", ICCV Workshops 2019, eq. 8-10): LRP seeded with the gradient of the
 * target's softmax probability with respect to the logits, {@code p_t (1 - p_t)} on the target and
 * {@code -p_t p_k} on every other class k. The paper subtracts the other classes' relevance from the target's; as
 * the propagation is linear in its seed, that is one pass with this signed seed. No normalisation and no c*LRP
 * contrast is applied: the contrast comes from the softmax gradient alone. Signed and raw.
 */
public final class SoftmaxGradientLrp extends LrpMethod {
    /** @param composite a name of {@link Composites#NAMES} */
    public SoftmaxGradientLrp(String composite) {
        super("sglrp", composite);
    }

    @Override
    protected Seed seed(int[] targets) {
        return softmaxGradient(targets);
    }

    /** {@code dp_t/dz = p_t (onehot_t - p)}, (N, classes). */
    static Seed softmaxGradient(int[] targets) {
        return (d, logits) -> seedFor(d, logits, targets);
    }

    private static Tensor seedFor(Device d, Tensor logits, int[] targets) {
        try (TensorScope scope = TensorScope.open()) {
            Tensor p = d.softmax(logits, 1);
            Tensor oneHot = Seed.oneHot(d, targets, logits.shape().dim(1));
            Tensor pTarget = d.reduce(d.mul(p, oneHot), ReduceOp.SUM, new int[] {1}, true); // (N,1)
            return scope.keep(d.mul(pTarget, d.add(oneHot, d.scale(p, -1f))));
        }
    }
}
