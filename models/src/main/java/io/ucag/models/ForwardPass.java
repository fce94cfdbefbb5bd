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
 *
 * <p>Layers whose outputs the hook does not observe are fused into the convolution before them: a batch norm
 * (folded into the weights at load time, {@link FusedConv}), the ReLU after that, and at the end of a residual
 * block's body the block's addition and ReLU ({@link Device#conv2dFused}). The hook then sees the output of the
 * last layer of each fused group under that layer's name. Results equal the unfused pass up to float rounding.
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
        report(layer.name(), y);
        return y;
    }

    private void report(String name, Tensor y) {
        if (!name.isEmpty()) {
            hook.onOutput(name, y);
        }
    }

    private Tensor compute(Layer layer, Tensor x) {
        if (layer instanceof Layer.Sequential s) {
            return sequence(s.children(), 0, s.children().size(), x);
        } else if (layer instanceof Layer.Residual r) {
            return residual(r, x);
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

    /** relu(body(x) + shortcut(x)); the addition and ReLU run inside the body's last convolution when they may. */
    private Tensor residual(Layer.Residual r, Tensor x) {
        List<Layer> body = r.body().children();
        ConvGroup last = tailGroup(body);
        if (last == null || last.relu() || hook.observes(last.lastName()) || hook.observes(r.body().name())) {
            try (Tensor b = run(r.body(), x); Tensor shortcut = run(r.shortcut(), x); Tensor sum = d.add(b, shortcut)) {
                return run(r.relu(), sum);
            }
        }
        try (Tensor shortcut = run(r.shortcut(), x);
             Tensor before = sequence(body, 0, body.size() - last.length(), x)) {
            Tensor y = d.conv2dFused(before, last.weight(), last.bias(), last.conv().params(), shortcut, true);
            report(r.relu().name(), y);
            return y;
        }
    }

    /** The fusable group that ends {@code children}, or null. */
    private ConvGroup tailGroup(List<Layer> children) {
        for (int start = Math.max(0, children.size() - 2); start < children.size(); start++) {
            ConvGroup g = convGroup(children, start);
            if (g != null && start + g.length() == children.size()) {
                return g;
            }
        }
        return null;
    }

    /** children[from, to) in order; an empty range is the identity (a new handle on x). */
    private Tensor sequence(List<Layer> children, int from, int to, Tensor x) {
        Tensor current = d.reshape(x, x.shape());
        for (int i = from; i < to; i++) {
            ConvGroup g = convGroup(children.subList(0, to), i);
            Tensor next;
            if (g != null) {
                next = d.conv2dFused(current, g.weight(), g.bias(), g.conv().params(), null, g.relu());
                report(g.lastName(), next);
                i += g.length() - 1;
            } else {
                next = run(children.get(i), current);
            }
            current.close();
            current = next;
        }
        return current;
    }

    /**
     * A convolution at {@code children[i]} whose output the hook does not observe, with what may run inside it:
     * the batch norm after it (folded weights) and the ReLU after that unless the hook observes the batch norm.
     */
    private ConvGroup convGroup(List<Layer> children, int i) {
        if (!(children.get(i) instanceof Layer.Conv2d conv) || hook.observes(conv.name())) {
            return null;
        }
        int end = i + 1;
        Tensor weight = parameter.apply(conv.name() + ".weight");
        Tensor bias = conv.bias() ? parameter.apply(conv.name() + ".bias") : null;
        String last = conv.name();
        if (end < children.size() && children.get(end) instanceof Layer.BatchNorm2d bn) {
            FusedConv f = fused.apply(conv.name());
            if (f == null) {
                return null;
            }
            weight = f.weight();
            bias = f.bias();
            last = bn.name();
            end++;
        }
        boolean relu = end < children.size() && children.get(end) instanceof Layer.ReLU && !hook.observes(last);
        if (relu) {
            last = children.get(end++).name();
        }
        return new ConvGroup(conv, weight, bias, end - i, relu, last);
    }

    /**
     * Layers {@code [i, i + length)} run as one convolution.
     *
     * @param lastName the name of the group's last layer, under which the hook sees the result
     */
    private record ConvGroup(Layer.Conv2d conv, Tensor weight, Tensor bias, int length, boolean relu,
                             String lastName) {
    }
}
