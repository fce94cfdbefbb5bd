package io.ucag.explain;

import io.ucag.models.Model;
import io.ucag.runtime.Device;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.ops.ReduceOp;

/**
 * Saliency (Simonyan et al., ICLR workshop 2014, Sec. 3.1): the largest absolute input gradient over the colour
 * channels, {@code max_c |dy/dx_c|}, with y the target logit. Unsigned.
 */
public final class Saliency implements Explainer {
    @Override
    public String name() {
        return "saliency";
    }

    @Override
    public boolean signed() {
        return false;
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
            Tensor map = d.reduce(d.abs(r.gradient()), ReduceOp.MAX, new int[] {1}, true);
            return new Explanation(scope.keep(map), scope.keep(r.logits().reshape(r.logits().shape())));
        }
    }
}
