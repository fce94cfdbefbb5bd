package io.ucag.explain;

import io.ucag.models.Model;
import io.ucag.runtime.Device;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.ops.ReduceOp;

/**
 * Input x Gradient (Shrikumar et al., 2016; the "gradient * input" of Ancona et al., ICLR 2018): {@code
 * sum_c x_c * dy/dx_c}, with y the target logit. Signed. For a network that is linear in its input it equals
 * Integrated Gradients from a zero baseline.
 */
public final class InputXGradient implements Explainer {
    @Override
    public String name() {
        return "inputxgradient";
    }

    @Override
    public boolean signed() {
        return true;
    }

    @Override
    public int maxBatch() {
        return ACTIVATION_HEAVY_BATCH; // the backward pass keeps every layer's activations
    }

    @Override
    public Explanation explain(Model model, Tensor images, int[] targets) {
        InputGradients.checkTargets(name(), images, targets);
        Device d = model.device();
        try (TensorScope scope = TensorScope.open();
             InputGradients.Result r = InputGradients.of(model, images, targets)) {
            Tensor map = d.reduce(d.mul(images, r.gradient()), ReduceOp.SUM, new int[] {1}, true);
            return new Explanation(scope.keep(map), scope.keep(r.logits().reshape(r.logits().shape())));
        }
    }
}
