package io.ucag.explain;

import io.ucag.runtime.Device;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.ReduceOp;

/** LayerCAM (Jiang et al., IEEE TIP 2021, Eq. 4-5): {@code sum_c (relu(dy/dA_c) * A_c)}, element-wise. */
public final class LayerCam extends CamMethod {
    public LayerCam(String layer) {
        super(layer);
    }

    @Override
    public String name() {
        return "layercam";
    }

    @Override
    protected Tensor camImage(Device d, Tensor activations, Tensor gradients) {
        try (Tensor positive = d.relu(gradients); Tensor product = d.mul(positive, activations)) {
            return d.reduce(product, ReduceOp.SUM, new int[] {1}, true);
        }
    }
}
