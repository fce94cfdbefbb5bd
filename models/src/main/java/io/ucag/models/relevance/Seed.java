package io.ucag.models.relevance;

import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;

/**
 * The relevance a relevance pass starts from at the logits, computed from the logits of the same forward pass.
 * Relevance propagation is linear in the seed, so a signed seed (several classes at once) gives the sum of the
 * per-class explanations.
 */
@FunctionalInterface
public interface Seed {
    /** The initial relevance (N, classes) for {@code logits} (N, classes); a new tensor on {@code d}. */
    Tensor at(Device d, Tensor logits);

    /** Each item's target logit (pre-softmax) on its target class, zero elsewhere: LRP's usual start. */
    static Seed targetLogit(int[] targets) {
        return (d, logits) -> {
            try (TensorScope scope = TensorScope.open()) {
                return scope.keep(d.mul(logits, oneHot(d, targets, logits.shape().dim(1))));
            }
        };
    }

    /** Fixed values (N * classes, row-major), whatever the logits; e.g. a one-hot seed. */
    static Seed constant(float[] values) {
        return (d, logits) -> {
            if (values.length != logits.shape().numel()) {
                throw new IllegalArgumentException("seed of " + values.length + " values for logits "
                        + logits.shape());
            }
            return d.fromArray(logits.shape(), values);
        };
    }

    /** One-hot rows (N, classes); a target outside 0..classes-1 is an error. */
    static Tensor oneHot(Device d, int[] targets, int classes) {
        float[] v = new float[targets.length * classes];
        for (int n = 0; n < targets.length; n++) {
            if (targets[n] < 0 || targets[n] >= classes) {
                throw new IllegalArgumentException("target class " + targets[n] + " is outside 0.." + (classes - 1));
            }
            v[n * classes + targets[n]] = 1;
        }
        return d.fromArray(Shape.of(targets.length, classes), v);
    }
}
