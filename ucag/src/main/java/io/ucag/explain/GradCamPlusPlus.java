package io.ucag.explain;

import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.ReduceOp;

/**
 * Grad-CAM++ (Chattopadhyay et al., WACV 2018, Eq. 19 with the exponential-output simplification): with G the
 * gradients, {@code alpha = G^2 / (2 G^2 + sum_ij(A) G^3 + eps)} and {@code w_c = sum_ij alpha relu(G)}, as in
 * pytorch-grad-cam (eps = 1e-7; where G = 0, alpha = 0 follows from the eps).
 */
public final class GradCamPlusPlus extends CamMethod {
    private static final float EPS = 1e-7f;

    public GradCamPlusPlus(String layer) {
        super(layer);
    }

    @Override
    public String name() {
        return "gradcam++";
    }

    @Override
    protected Tensor camImage(Device d, Tensor activations, Tensor gradients) {
        int[] spatial = {2, 3};
        try (Tensor eps = d.fromArray(Shape.of(1), new float[] {EPS});
             Tensor g2 = d.mul(gradients, gradients);
             Tensor g3 = d.mul(g2, gradients);
             Tensor mass = d.reduce(activations, ReduceOp.SUM, spatial, true);
             Tensor massG3 = d.mul(g3, mass);
             Tensor twiceG2 = d.scale(g2, 2f);
             Tensor sum = d.add(twiceG2, massG3);
             Tensor denominator = d.add(sum, eps);
             Tensor alpha = d.div(g2, denominator);
             Tensor positive = d.relu(gradients);
             Tensor terms = d.mul(alpha, positive);
             Tensor weights = d.reduce(terms, ReduceOp.SUM, spatial, true);
             Tensor weighted = d.mul(activations, weights)) {
            return d.reduce(weighted, ReduceOp.SUM, new int[] {1}, true);
        }
    }
}
