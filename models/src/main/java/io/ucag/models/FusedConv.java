package io.ucag.models;

import io.ucag.models.layers.Layer;
import io.ucag.runtime.BatchNormFolding;
import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;

/**
 * A convolution with the inference batch norm after it folded into its weights ({@link BatchNormFolding}), so a
 * forward pass that does not need the convolution's own output runs one op instead of two: the batch norm is a
 * full read and write of the activation, about a fifth of a ResNet-50 pass on a CPU.
 *
 * @param weight (O,C,kh,kw)
 * @param bias   (O)
 */
record FusedConv(Tensor weight, Tensor bias) implements AutoCloseable {
    static FusedConv fold(Layer.Conv2d conv, Layer.BatchNorm2d bn, Parameters source, Device device) {
        String b = bn.name() + ".";
        BatchNormFolding.Folded f = BatchNormFolding.fold(source.data(conv.name() + ".weight"),
                conv.bias() ? source.data(conv.name() + ".bias") : null, source.data(b + "running_mean"),
                source.data(b + "running_var"), source.data(b + "weight"), source.data(b + "bias"), bn.eps());
        Tensor weight = Model.untracked(device.fromArray(conv.weightShape(), f.weight()));
        try {
            return new FusedConv(weight, Model.untracked(device.fromArray(Shape.of(conv.outChannels()), f.bias())));
        } catch (RuntimeException e) {
            weight.close();
            throw e;
        }
    }

    @Override
    public void close() {
        weight.close();
        bias.close();
    }
}
