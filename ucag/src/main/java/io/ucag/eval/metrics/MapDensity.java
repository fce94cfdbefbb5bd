package io.ucag.eval.metrics;

import io.ucag.render.PostProcess;
import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;

/**
 * Positive and negative map density (UCAG, Hong et al., AAAI 2023, Table 5, after CAMERAS, Jalwana et al., CVPR
 * 2021). Our reading of the paper's {@code f(I . M^k) / sum_ij M^k_ij x (h x w)}: with M the map after ReLU and
 * min-max normalisation to [0, 1] at the input's h x w,
 * <pre>
 *   D+ = f(I * M)       / (sum(M)     / (h*w))     -- confidence kept by the map, per unit of mean mask value
 *   D- = f(I * (1 - M)) / (sum(1 - M) / (h*w))     -- confidence kept by the complement
 * </pre>
 * where f is the softmax probability of the target class and I * M multiplies every channel of the preprocessed
 * (normalised) input by M, so masked-out pixels become 0 as in the deletion game. The paper's Table 5 values
 * (e.g. ResNet50 Grad-CAM D+ 2.33, D- 0.86) fit this reading. Higher D+ and lower D- are better. Both images go
 * through the network as one batch of 2.
 */
public final class MapDensity {
    /** D+ and D-; NaN where the mask (or its complement) is all zero. */
    public record Densities(double positive, double negative) {
    }

    private MapDensity() {
    }

    /**
     * @param image  one preprocessed image (1, 3, H, W) on {@code d}
     * @param map    H*W raw map values, row-major
     * @param target the class whose confidence is measured
     */
    public static Densities of(Device d, Classifier net, Tensor image, float[] map, int target) {
        int height = image.shape().dim(2);
        int width = image.shape().dim(3);
        int pixels = height * width;
        if (image.shape().dim(0) != 1 || map.length != pixels) {
            throw new IllegalArgumentException("map density: a map of " + map.length + " values for images "
                    + image.shape());
        }
        float[] m = PostProcess.RELU_MINMAX.apply(map);
        float[] masks = new float[2 * pixels];
        double sum = 0;
        double complement = 0;
        for (int i = 0; i < pixels; i++) {
            masks[i] = m[i];
            masks[pixels + i] = 1f - m[i];
            sum += m[i];
            complement += 1f - m[i];
        }
        float[] p;
        try (TensorScope scope = TensorScope.open()) {
            Tensor pair = d.fromArray(Shape.of(2, 1, height, width), masks);
            p = ClassScores.probabilities(d, net, 2, 2, target, (from, size) -> d.mul(image, pair));
        }
        double meanMask = sum / pixels;
        double meanComplement = complement / pixels;
        return new Densities(meanMask > 0 ? p[0] / meanMask : Double.NaN,
                meanComplement > 0 ? p[1] / meanComplement : Double.NaN);
    }
}
