package io.ucag.models.relevance;

import io.ucag.models.Model;
import io.ucag.models.layers.Layer;
import io.ucag.runtime.BatchNormFolding;
import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import java.util.Arrays;

/**
 * The per-channel factor {@code s = gamma / sqrt(var + eps)} of an inference BatchNorm that follows no convolution
 * (one that does is folded into it at load, {@link Model#foldedConvolution}): computed on the host in double with
 * {@link BatchNormFolding} (the variance enters through its square root only, never squared).
 */
final class BatchNormScale {
    private BatchNormScale() {
    }

    /** s, (C), on {@code d}. */
    static Tensor of(Device d, Model model, Layer.BatchNorm2d bn) {
        float[] ones = new float[bn.channels()]; // folding a weight of ones gives s itself
        Arrays.fill(ones, 1f);
        String p = bn.name() + ".";
        BatchNormFolding.Folded f = BatchNormFolding.fold(ones, null, model.parameter(p + "running_mean").toArray(),
                model.parameter(p + "running_var").toArray(), model.parameter(p + "weight").toArray(),
                model.parameter(p + "bias").toArray(), bn.eps());
        return d.fromArray(Shape.of(bn.channels()), f.weight());
    }
}
