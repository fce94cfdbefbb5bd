package io.ucag.models;

import io.ucag.models.layers.Layer;
import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import java.util.List;
import java.util.function.Function;

/**
 * Runs a layer tree on a device: one branch per layer type. Each intermediate is released as soon as the next
 * layer has consumed it (autograd keeps its own handles), so memory stays at about two activations plus what
 * the hook keeps.
 */
final class ForwardPass {
    private final Device d;
    private final Function<String, Tensor> parameter;
    private final Function<String, FusedConv> fused; // conv name -> BN-folded weights, or null
    private final ActivationHook hook;

    ForwardPass(Device d, Function<String, Tensor> parameter, Function<String, FusedConv> fused,
                ActivationHook hook) {
        this.d = d;
        this.parameter = parameter;
        this.fused = fused;
        this.hook = hook;
    }

    /** The output of {@code layer} for {@code x}; never closes {@code x}. */
    Tensor run(Layer layer, Tensor x) {
        Tensor y = compute(layer, x);
        if (!layer.name().isEmpty()) {
            hook.onOutput(layer.name(), y);
        }
        return y;
    }

    private Tensor compute(Layer layer, Tensor x) {
        if (layer instanceof Layer.Sequential s) {
            return sequence(s, x);
        } else if (layer instanceof Layer.Residual r) {
            try (Tensor body = sequence(r.body(), x); Tensor shortcut = sequence(r.shortcut(), x);
                 Tensor sum = d.add(body, shortcut)) {
                return run(r.relu(), sum);
            }
        } else if (layer instanceof Layer.Conv2d c) {
            return d.conv2d(x, parameter.apply(c.name() + ".weight"),
                    c.bias() ? parameter.apply(c.name() + ".bias") : null, c.params());
        } else if (layer instanceof Layer.BatchNorm2d b) {
            return d.batchNorm(x, parameter.apply(b.name() + ".running_mean"),
                    parameter.apply(b.name() + ".running_var"), parameter.apply(b.name() + ".weight"),
                    parameter.apply(b.name() + ".bias"), b.eps());
        } else if (layer instanceof Layer.Linear l) {
            return d.linear(x, parameter.apply(l.name() + ".weight"), parameter.apply(l.name() + ".bias"));
        } else if (layer instanceof Layer.ReLU) {
            return d.relu(x);
        } else if (layer instanceof Layer.MaxPool2d m) {
            return d.maxPool2d(x, m.params());
        } else if (layer instanceof Layer.AdaptiveAvgPool2d a) {
            return d.adaptiveAvgPool2d(x, a.outH(), a.outW());
        } else if (layer instanceof Layer.Flatten) {
            Shape s = x.shape();
            return d.reshape(x, Shape.of(s.dim(0), s.size(1, s.rank())));
        } else if (layer instanceof Layer.Dropout) {
            return d.reshape(x, x.shape()); // the identity, as a new handle the caller may close
        }
        throw new IllegalStateException("no forward for " + layer);
    }

    /**
     * Children in order; an empty sequence is the identity (a new handle on x). A convolution followed by a batch
     * norm runs as one convolution with folded weights when the hook does not observe the convolution's output.
     */
    private Tensor sequence(Layer.Sequential s, Tensor x) {
        Tensor current = d.reshape(x, x.shape());
        List<Layer> children = s.children();
        for (int i = 0; i < children.size(); i++) {
            Layer child = children.get(i);
            FusedConv f = child instanceof Layer.Conv2d && i + 1 < children.size()
                    && children.get(i + 1) instanceof Layer.BatchNorm2d && !hook.observes(child.name())
                    ? fused.apply(child.name()) : null;
            Tensor next;
            if (f != null) {
                Layer bn = children.get(++i);
                next = d.conv2d(current, f.weight(), f.bias(), ((Layer.Conv2d) child).params());
                hook.onOutput(bn.name(), next);
            } else {
                next = run(child, current);
            }
            current.close();
            current = next;
        }
        return current;
    }
}
