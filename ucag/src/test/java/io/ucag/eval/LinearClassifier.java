package io.ucag.eval;

import io.ucag.eval.metrics.Classifier;
import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.ReduceOp;
import java.util.List;

/**
 * A two-class "network" whose score is predictable by hand: logits (z, 0) with z = sum(weights * image), so the
 * softmax probability of class 0 is sigmoid(z). Built from device ops that need no convolution.
 */
final class LinearClassifier implements Classifier {
    private final Device d;
    private final float[] weights; // (3, H, W)
    private final Shape shape;

    LinearClassifier(Device d, float[] weights, int height, int width) {
        this.d = d;
        this.weights = weights;
        this.shape = Shape.of(1, 3, height, width);
    }

    @Override
    public Tensor logits(Tensor images) {
        int n = images.shape().dim(0);
        Tensor w = d.fromArray(shape, weights);
        Tensor z = d.reduce(d.mul(images, w), ReduceOp.SUM, new int[] {1, 2, 3}, false).reshape(n, 1);
        return d.concat(List.of(z, d.zeros(Shape.of(n, 1))), 1);
    }

    static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    /** z of one image (3*H*W values) in double. */
    double z(float[] image) {
        double z = 0;
        for (int i = 0; i < image.length; i++) {
            z += (double) weights[i] * image[i];
        }
        return z;
    }
}
