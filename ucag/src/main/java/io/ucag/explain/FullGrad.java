package io.ucag.explain;

import io.ucag.models.Model;
import io.ucag.models.layers.Layer;
import io.ucag.models.layers.Layers;
import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.autograd.Gradients;
import io.ucag.runtime.autograd.Tape;
import io.ucag.runtime.ops.ReduceOp;
import io.ucag.runtime.ops.ResizeMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * FullGrad (Srinivas and Fleuret, NeurIPS 2019, Eq. 5 and 7). The full-gradient decomposition of the target logit
 * of a piecewise-linear network, {@code y = sum(x * dy/dx) + sum_layers sum(b * dy/dz)} with z each biased layer's
 * output, gives the map {@code psi(|x * dy/dx|) + sum_layers sum_c psi(|b_c * dy/dz_c|)}, where psi min-max
 * normalises each (item, channel) map ({@code (v - min) / (max - min + 1e-7)}) and resizes it bilinearly to the
 * input size. As pytorch-grad-cam's {@code FullGrad}, the biased layers are every Conv2d with a bias and every
 * BatchNorm2d, whose bias in inference is {@code beta - mean * gamma / sqrt(var + eps)}; the target layer is not
 * used. The map is returned raw: no final normalisation. Unsigned.
 *
 * <p>Memory: the gradients of all biased layers' outputs are held at once (about the size of the forward
 * activations again); micro-batch larger inputs (UCAG does).
 */
public final class FullGrad implements Explainer {
    private static final float EPS = 1e-7f;

    /**
     * The decomposition's two sums per item, before any absolute value or normalisation: for a network of
     * convolutions, batch norms, linear layers, ReLU and max/average pooling they add up to the target logit.
     *
     * @param logit    y, the target logit of each item
     * @param input    {@code sum(x * dy/dx)} of each item
     * @param biases   {@code sum over every layer with a bias (linear layers too) of sum(b * dy/dz)} of each item
     */
    public record Decomposition(float[] logit, float[] input, float[] biases) {
    }

    /** A bias (broadcastable to its layer's output) and the gradient of the target w.r.t. that output. */
    private record BiasTerm(Layer layer, Tensor bias, Tensor gradient) {
    }

    @Override
    public String name() {
        return "fullgrad";
    }

    @Override
    public boolean signed() {
        return false;
    }

    @Override
    public int maxBatch() {
        return ACTIVATION_HEAVY_BATCH; // the backward pass keeps every layer's activations
    }

    @Override
    public Explanation explain(Model model, Tensor images, int[] targets) {
        Device d = model.device();
        int height = images.shape().dim(2);
        int width = images.shape().dim(3);
        return withGradients(model, images, targets, false, (logits, inputGradient, terms) -> {
            Tensor map = d.reduce(normalised(d, d.abs(d.mul(images, inputGradient))), ReduceOp.SUM,
                    new int[] {1}, true);
            for (BiasTerm t : terms) {
                // psi is per channel; the bilinear resize is linear, so summing channels first is the same map.
                Tensor layerMap = d.reduce(normalised(d, d.abs(d.mul(t.bias(), t.gradient()))), ReduceOp.SUM,
                        new int[] {1}, true);
                if (layerMap.shape().dim(2) != height || layerMap.shape().dim(3) != width) {
                    layerMap = d.resize(layerMap, height, width, ResizeMode.BILINEAR);
                }
                map = d.add(map, layerMap);
            }
            return new Explanation(map, logits.reshape(logits.shape()));
        });
    }

    /** The un-post-processed decomposition of each item's target logit (read back to the host). */
    public Decomposition decompose(Model model, Tensor images, int[] targets) {
        Device d = model.device();
        return withGradients(model, images, targets, true, (logits, inputGradient, terms) -> {
            int count = targets.length;
            float[] y = new float[count];
            float[] all = logits.toArray();
            for (int n = 0; n < count; n++) {
                y[n] = all[n * logits.shape().dim(1) + targets[n]];
            }
            float[] input = perItemSum(d, d.mul(images, inputGradient));
            float[] biases = new float[count];
            for (BiasTerm t : terms) {
                float[] s = perItemSum(d, d.mul(t.bias(), t.gradient()));
                for (int n = 0; n < count; n++) {
                    biases[n] += s[n];
                }
            }
            return new Decomposition(y, input, biases);
        });
    }

    @FunctionalInterface
    private interface GradientUse<T> {
        T apply(Tensor logits, Tensor inputGradient, List<BiasTerm> terms);
    }

    /**
     * One forward pass watching the input and the output of every biased layer, one backward pass from the
     * target logits; {@code use} sees the gradients while they exist. Tensors {@code use} returns outlive the call.
     */
    private <T> T withGradients(Model model, Tensor images, int[] targets, boolean linearToo, GradientUse<T> use) {
        InputGradients.checkTargets(name(), images, targets);
        Device base = model.device();
        Map<String, Layer> biased = new LinkedHashMap<>();
        for (Layer layer : Layers.flatten(model.spec().root())) {
            if ((layer instanceof Layer.Conv2d c && c.bias()) || layer instanceof Layer.BatchNorm2d
                    || (linearToo && layer instanceof Layer.Linear)) {
                biased.put(layer.name(), layer);
            }
        }
        Map<Layer, Tensor> outputs = new LinkedHashMap<>(); // layer -> the tensor object the tape knows it by
        try (Tape tape = new Tape(); TensorScope scope = TensorScope.open()) {
            Tensor input = tape.watch(images.reshape(images.shape()));
            Tensor logits = model.forward(tape.on(base), input, (name, output) -> {
                Layer layer = biased.get(name);
                if (layer != null) {
                    outputs.put(layer, tape.watch(output));
                }
            });
            Tensor seed = Targets.oneHot(base, targets, logits.shape().dim(1));
            try (Gradients g = tape.backward(logits, seed); TensorScope work = TensorScope.open()) {
                List<BiasTerm> terms = new ArrayList<>();
                for (Map.Entry<Layer, Tensor> e : outputs.entrySet()) {
                    terms.add(new BiasTerm(e.getKey(), bias(model, e.getKey()), g.of(e.getValue())));
                }
                T result = use.apply(logits, g.of(input), terms);
                if (result instanceof Explanation x) {
                    work.keep(x.maps());
                    work.keep(x.logits());
                    scope.keep(x.maps());
                    scope.keep(x.logits());
                }
                return result;
            }
        }
    }

    /** The layer's bias shaped to broadcast over its output: (1,C,1,1), or (1,M) for a linear layer. */
    private static Tensor bias(Model model, Layer layer) {
        Device d = model.device();
        if (layer instanceof Layer.BatchNorm2d b) { // the affine map's value at zero is its bias
            Function<String, Tensor> p = s -> model.parameter(b.name() + "." + s);
            return d.batchNorm(d.zeros(Shape.of(1, b.channels(), 1, 1)), p.apply("running_mean"),
                    p.apply("running_var"), p.apply("weight"), p.apply("bias"), b.eps());
        } else if (layer instanceof Layer.Conv2d c) {
            return model.parameter(c.name() + ".bias").reshape(1, c.outChannels(), 1, 1);
        } else if (layer instanceof Layer.Linear l) {
            return model.parameter(l.name() + ".bias").reshape(1, l.outFeatures());
        }
        throw new IllegalStateException("no bias in " + layer);
    }

    /** psi of each (item, channel) map of non-negative values (N,C,h,w): (v - min) / (max - min + 1e-7). */
    private static Tensor normalised(Device d, Tensor values) {
        int[] spatial = {2, 3};
        Tensor max = d.reduce(values, ReduceOp.MAX, spatial, true);
        Tensor negativeMin = d.reduce(d.scale(values, -1f), ReduceOp.MAX, spatial, true);
        Tensor range = d.add(d.add(max, negativeMin), d.fromArray(Shape.of(1), new float[] {EPS}));
        return d.div(d.add(values, negativeMin), range);
    }

    private static float[] perItemSum(Device d, Tensor values) {
        int[] rest = new int[values.shape().rank() - 1];
        for (int i = 0; i < rest.length; i++) {
            rest[i] = i + 1;
        }
        return d.reduce(values, ReduceOp.SUM, rest, false).toArray();
    }
}
