package io.ucag.explain.relative;

import io.ucag.models.ActivationHook;
import io.ucag.models.Model;
import io.ucag.models.layers.Layer;
import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.Conv2dParams;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A forward pass that records the {@link Step}s a relevance pass needs, computing exactly what {@link Model#forward}
 * computes (convolution and BatchNorm as two ops, so the logits are the model's). Each BatchNorm must follow a
 * convolution in the same sequence; its scale is folded into that convolution's recorded weight (a canonizer: a
 * negative gamma swaps the roles of positive and negative weights, which the folded weight gets right). Every tensor
 * made here belongs to the caller's {@link io.ucag.runtime.TensorScope}.
 */
public final class TracedForward {
    /**
     * The recorded steps and the logits.
     *
     * @param steps      the top-level steps in forward order (sequences inlined; residual blocks nest)
     * @param logits     (N, classes)
     * @param boundaries top-level layer name -> number of steps recorded when its output was produced (layers
     *                   inside a residual block have none)
     */
    public record Trace(List<Step> steps, Tensor logits, Map<String, Integer> boundaries) {
        /** The number of steps below the output of {@code layer}; an error names the valid layers. */
        public int boundary(String layer) {
            Integer b = boundaries.get(layer);
            if (b == null) {
                throw new IllegalArgumentException("no layer '" + layer + "' outside a residual block to start "
                        + "from; choose one of " + boundaries.keySet());
            }
            return b;
        }
    }

    private final Device d;
    private final Model model;
    private final ActivationHook hook;
    private final Map<String, Integer> boundaries = new HashMap<>();
    private boolean nonNegative;     // the current activation is known to be >= 0
    private boolean seenWeighted;    // a weighted layer was recorded (the next one's input is not the image)

    private TracedForward(Device d, Model model, ActivationHook hook) {
        this.d = d;
        this.model = model;
        this.hook = hook;
    }

    /**
     * Runs {@code model} on {@code images} (N,3,H,W) on device {@code d} (the model's device or a wrapper such as an
     * autograd recording device), calling {@code hook} with each named layer's output as the model's forward does.
     */
    public static Trace run(Model model, Device d, Tensor images, ActivationHook hook) {
        TracedForward f = new TracedForward(d, model, hook);
        List<Step> steps = new ArrayList<>();
        Tensor logits = f.layer(model.spec().root(), d.reshape(images, images.shape()), steps, true);
        return new Trace(List.copyOf(steps), logits, Map.copyOf(f.boundaries));
    }

    /** The output of {@code layer} for {@code x}, recording steps into {@code steps}. */
    private Tensor layer(Layer layer, Tensor x, List<Step> steps, boolean topLevel) {
        Tensor y = compute(layer, x, steps, topLevel);
        if (!layer.name().isEmpty()) {
            named(layer.name(), y, steps, topLevel);
        }
        return y;
    }

    private Tensor compute(Layer layer, Tensor x, List<Step> steps, boolean topLevel) {
        if (layer instanceof Layer.Sequential s) {
            return sequence(s, x, steps, topLevel);
        } else if (layer instanceof Layer.Residual r) {
            List<Step> body = new ArrayList<>();
            List<Step> shortcut = new ArrayList<>();
            boolean inputNonNegative = nonNegative;
            Tensor bodyOut = sequence(r.body(), x, body, false);
            nonNegative = inputNonNegative;
            Tensor shortcutOut = sequence(r.shortcut(), x, shortcut, false);
            steps.add(new Step.Residual(r.name(), body, shortcut, bodyOut, shortcutOut));
            return layer(r.relu(), d.add(bodyOut, shortcutOut), steps, false);
        } else if (layer instanceof Layer.Conv2d c) {
            throw new IllegalStateException("convolutions are handled by sequence(): " + c.name());
        } else if (layer instanceof Layer.BatchNorm2d b) {
            throw new IllegalArgumentException("layer '" + b.name() + "': a BatchNorm2d must directly follow a "
                    + "Conv2d to be folded into it; relevance methods cannot cross a lone BatchNorm");
        } else if (layer instanceof Layer.Linear l) {
            Tensor weight = model.parameter(l.name() + ".weight");
            Tensor y = d.linear(x, weight, model.parameter(l.name() + ".bias"));
            steps.add(new Step.Weighted(l.name(), d.reshape(x, Shape.of(x.shape().dim(0), l.inFeatures(), 1, 1)),
                    d.reshape(weight, Shape.of(l.outFeatures(), l.inFeatures(), 1, 1)), Conv2dParams.of(1, 0),
                    x.shape(), y.shape(), nonNegative, !seenWeighted, true));
            seenWeighted = true;
            nonNegative = false;
            return y;
        } else if (layer instanceof Layer.ReLU) {
            nonNegative = true;
            Tensor y = d.relu(x);
            steps.add(new Step.Relu(layer.name(), y));
            return y;
        } else if (layer instanceof Layer.MaxPool2d m) {
            steps.add(new Step.MaxPool(m.name(), x, m.params()));
            return d.maxPool2d(x, m.params());
        } else if (layer instanceof Layer.AdaptiveAvgPool2d a) {
            steps.add(new Step.AdaptiveAvgPool(a.name(), x, a.outH(), a.outW()));
            return d.adaptiveAvgPool2d(x, a.outH(), a.outW());
        } else if (layer instanceof Layer.Flatten) {
            Shape s = x.shape();
            steps.add(new Step.Reshape(layer.name(), s));
            return d.reshape(x, Shape.of(s.dim(0), s.size(1, s.rank())));
        } else if (layer instanceof Layer.Dropout) {
            return d.reshape(x, x.shape());
        }
        throw new IllegalStateException("no traced forward for " + layer);
    }

    /** Children in order, a convolution together with the BatchNorm after it; the identity when empty. */
    private Tensor sequence(Layer.Sequential s, Tensor x, List<Step> steps, boolean topLevel) {
        Tensor current = x;
        List<Layer> children = s.children();
        for (int i = 0; i < children.size(); i++) {
            Layer child = children.get(i);
            if (child instanceof Layer.Conv2d c) {
                Layer.BatchNorm2d bn = i + 1 < children.size() && children.get(i + 1) instanceof Layer.BatchNorm2d b
                        ? b : null;
                current = convolution(c, bn, current, steps, topLevel);
                if (bn != null) {
                    i++;
                }
            } else {
                current = layer(child, current, steps, topLevel);
            }
        }
        return current == x ? d.reshape(x, x.shape()) : current;
    }

    private Tensor convolution(Layer.Conv2d c, Layer.BatchNorm2d bn, Tensor x, List<Step> steps, boolean topLevel) {
        Tensor weight = model.parameter(c.name() + ".weight");
        Tensor y = d.conv2d(x, weight, c.bias() ? model.parameter(c.name() + ".bias") : null, c.params());
        Tensor folded = weight;
        if (bn != null) {
            Tensor var = model.parameter(bn.name() + ".running_var");
            Tensor gamma = model.parameter(bn.name() + ".weight");
            folded = d.mul(weight, d.reshape(bnScale(bn, var, gamma), Shape.of(c.outChannels(), 1, 1, 1)));
        }
        steps.add(new Step.Weighted(c.name(), x, folded, c.params(), x.shape(), y.shape(), nonNegative,
                !seenWeighted, false));
        seenWeighted = true;
        nonNegative = false;
        named(c.name(), y, steps, topLevel);
        if (bn == null) {
            return y;
        }
        Tensor normalized = d.batchNorm(y, model.parameter(bn.name() + ".running_mean"),
                model.parameter(bn.name() + ".running_var"), model.parameter(bn.name() + ".weight"),
                model.parameter(bn.name() + ".bias"), bn.eps());
        named(bn.name(), normalized, steps, topLevel);
        return normalized;
    }

    private void named(String name, Tensor output, List<Step> steps, boolean topLevel) {
        hook.onOutput(name, output);
        if (topLevel) {
            boundaries.put(name, steps.size());
        }
    }

    /**
     * {@code gamma / sqrt(var + eps)} (C), computed by the device's own batch norm applied to ones with a zero mean
     * and a zero shift, so that no host round trip is needed.
     */
    private Tensor bnScale(Layer.BatchNorm2d bn, Tensor var, Tensor gamma) {
        int c = bn.channels();
        float[] ones = new float[c];
        Arrays.fill(ones, 1f);
        Tensor zeros = d.zeros(Shape.of(c));
        return d.reshape(d.batchNorm(d.fromArray(Shape.of(1, c), ones), zeros, var, gamma, zeros, bn.eps()),
                Shape.of(c));
    }
}
