package io.ucag.explain;

import io.ucag.runtime.Device;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.ReduceOp;

/** HiResCAM (Draelos and Carin, 2020, Eq. 4): {@code sum_c (dy/dA_c * A_c)}, element-wise, no spatial pooling. */
public final class HiResCam extends CamMethod {
    public HiResCam(String layer) {
        super(layer);
    }

    @Override
    public String name() {
        return "hirescam";
    }

    @Override
    protected Tensor camImage(Device d, Tensor activations, Tensor gradients) {
        try (Tensor product = d.mul(gradients, activations)) {
            return d.reduce(product, ReduceOp.SUM, new int[] {1}, true);
        }
    }
}
