package io.ucag.explain;

import io.ucag.runtime.Device;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.ReduceOp;

/**
 * Grad-CAM (Selvaraju et al., ICCV 2017, Eq. 1-2): channel weights are the spatial mean of the gradients,
 * {@code w_c = mean_ij dy/dA_cij}, and the map is {@code sum_c w_c A_c} (the paper's ReLU is left to
 * post-processing).
 */
public final class GradCam extends CamMethod {
    public GradCam(String layer) {
        super(layer);
    }

    @Override
    public String name() {
        return "gradcam";
    }

    @Override
    protected Tensor camImage(Device d, Tensor activations, Tensor gradients) {
        try (Tensor weights = d.reduce(gradients, ReduceOp.MEAN, new int[] {2, 3}, true);
             Tensor weighted = d.mul(activations, weights)) {
            return d.reduce(weighted, ReduceOp.SUM, new int[] {1}, true);
        }
    }
}
