package io.ucag.explain.relative;

import io.ucag.models.Preprocessing;
import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;

/**
 * The z^B rule of Deep Taylor Decomposition (Montavon et al., Pattern Recognition 2017, eq. for bounded input
 * domains), used by RAP and RSP at the first layer, whose input is the image:
 * <pre>
 *   R_i = sum_j (x_i w_ij - l_i w+_ij - h_i w-_ij) / z_j * R_j,   z_j = sum_i (x_i w_ij - l_i w+_ij - h_i w-_ij)
 * </pre>
 * with l, h the lowest and highest normalised pixel values of each channel under the model's preprocessing (the
 * authors' code takes the image's own minimum and maximum instead). It conserves relevance: sum_i R_i = sum_j R_j.
 */
public final class ZBox {
    private ZBox() {
    }

    /** The rule for {@code layer} (input the image (N,3,H,W)) and relevance (N,O,Ho,Wo) at its output. */
    public static Tensor propagate(Device d, Step.Weighted layer, Tensor relevance, Preprocessing preprocessing) {
        Tensor x = layer.input();
        Shape shape = x.shape();
        Tensor low = bound(d, shape, preprocessing.bounds()[0]);
        Tensor high = bound(d, shape, preprocessing.bounds()[1]);
        Tensor w = layer.weight();
        Tensor positive = d.relu(w);
        Tensor negated = d.relu(d.scale(w, -1f)); // -w-, >= 0
        var p = layer.params();
        Tensor z = d.add(d.add(d.conv2d(x, w, null, p), d.scale(d.conv2d(low, positive, null, p), -1f)),
                d.conv2d(high, negated, null, p));
        Tensor s = Stabilized.divide(d, relevance, z); // z >= 0 when x lies within the bounds
        Tensor c = d.mul(x, Transposed.of(d, s, w, shape, p));
        c = d.add(c, d.scale(d.mul(low, Transposed.of(d, s, positive, shape, p)), -1f));
        return d.add(c, d.mul(high, Transposed.of(d, s, negated, shape, p)));
    }

    /** A (1,C,H,W) image holding {@code perChannel[c]} everywhere in channel c. */
    private static Tensor bound(Device d, Shape shape, float[] perChannel) {
        int channels = shape.dim(1);
        if (channels != perChannel.length) {
            throw new IllegalArgumentException("z-box rule: the first layer takes " + channels
                    + " channels, the preprocessing has bounds for " + perChannel.length);
        }
        int plane = shape.dim(2) * shape.dim(3);
        float[] v = new float[channels * plane];
        for (int c = 0; c < channels; c++) {
            java.util.Arrays.fill(v, c * plane, (c + 1) * plane, perChannel[c]);
        }
        return d.fromArray(Shape.of(1, channels, shape.dim(2), shape.dim(3)), v);
    }
}
