package io.ucag.explain;

import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.ReduceOp;

/**
 * XGrad-CAM (Fu et al., BMVC 2020, Eq. 9): {@code w_c = sum_ij (A_cij / sum_kl A_ckl) dy/dA_cij}, computed as
 * pytorch-grad-cam does with a 1e-7 guard on the denominator.
 */
public final class XGradCam extends CamMethod {
    private static final float EPS = 1e-7f;

    public XGradCam(String layer) {
        super(layer);
    }

    @Override
    public String name() {
        return "xgradcam";
    }

    @Override
    protected Tensor camImage(Device d, Tensor activations, Tensor gradients) {
        int[] spatial = {2, 3};
        try (Tensor eps = d.fromArray(Shape.of(1), new float[] {EPS});
             Tensor product = d.mul(gradients, activations);
             Tensor numerator = d.reduce(product, ReduceOp.SUM, spatial, true);
             Tensor mass = d.reduce(activations, ReduceOp.SUM, spatial, true);
             Tensor denominator = d.add(mass, eps);
             Tensor weights = d.div(numerator, denominator);
             Tensor weighted = d.mul(activations, weights)) {
            return d.reduce(weighted, ReduceOp.SUM, new int[] {1}, true);
        }
    }
}
