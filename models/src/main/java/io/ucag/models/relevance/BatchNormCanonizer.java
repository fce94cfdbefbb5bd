package io.ucag.models.relevance;

import io.ucag.models.Model;
import io.ucag.models.layers.Layer;
import io.ucag.runtime.BatchNormFolding;
import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import java.util.Arrays;

/**
 * zennit's {@code MergeBatchNorm} canonizer, without modifying the model: new tensors for a convolution with the
 * inference BatchNorm after it folded in ({@link BatchNormFolding}: {@code s = gamma / sqrt(var + eps)},
 * {@code W' = W * s}, {@code b' = (b - mean) * s + beta}). The per-channel factors are computed on the host in
 * double (a few hundred values), the weight product on the device.
 */
final class BatchNormCanonizer {
    /** @param weight (O,C,kh,kw) @param bias (O) */
    record Folded(Tensor weight, Tensor bias) {
    }

    private BatchNormCanonizer() {
    }

    /** The folded parameters of {@code conv -> bn}; tensors tracked by the caller's scope. */
    static Folded fold(Device d, Model model, Layer.BatchNorm2d bn, Tensor weight, Tensor bias) {
        int channels = bn.channels();
        if (weight.shape().dim(0) != channels) {
            throw new IllegalArgumentException("cannot fold " + bn.name() + " (" + channels + " channels) into a "
                    + "convolution with " + weight.shape().dim(0) + " output channels");
        }
        BatchNormFolding.Folded f = foldVectors(model, bn, bias == null ? null : bias.toArray());
        try (Tensor s = d.fromArray(Shape.of(channels, 1, 1, 1), f.weight())) {
            return new Folded(d.mul(weight, s), d.fromArray(Shape.of(channels), f.bias()));
        }
    }

    /** The per-channel factor {@code gamma / sqrt(var + eps)}, (C). */
    static Tensor scale(Device d, Model model, Layer.BatchNorm2d bn) {
        return d.fromArray(Shape.of(bn.channels()), foldVectors(model, bn, null).weight());
    }

    /** Folding a weight of ones: the folded "weight" is the factor s, the bias the folded bias. */
    private static BatchNormFolding.Folded foldVectors(Model model, Layer.BatchNorm2d bn, float[] bias) {
        float[] ones = new float[bn.channels()];
        Arrays.fill(ones, 1f);
        return BatchNormFolding.fold(ones, bias, model.parameter(bn.name() + ".running_mean").toArray(),
                model.parameter(bn.name() + ".running_var").toArray(), model.parameter(bn.name() + ".weight").toArray(),
                model.parameter(bn.name() + ".bias").toArray(), bn.eps());
    }
}
