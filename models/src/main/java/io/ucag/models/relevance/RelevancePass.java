package io.ucag.models.relevance;

import io.ucag.models.Model;
import io.ucag.models.layers.Layer;
import io.ucag.models.layers.Layers;
import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.relevance.AffineLayer;
import io.ucag.runtime.relevance.AffineOp;
import io.ucag.runtime.relevance.Redistribution;
import io.ucag.runtime.relevance.Rule;
import io.ucag.runtime.relevance.Stabilizer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Layer-wise relevance propagation over a model's layer tree, on the model's device: one forward pass that keeps
 * each layer's input, then one backward pass that applies the {@link Composite}'s rule at every layer, from the
 * {@link Seed} at the logits down to the input. It lives here, beside the layer types, because it dispatches on
 * them; the rules themselves ({@code io.ucag.runtime.relevance}) know only tensors and ops.
 *
 * <p>Canonisation (zennit's canonizers), without touching the model: a BatchNorm2d right after a Conv2d is folded
 * into it ({@code W' = W * s}, {@code b' = (b - mean) * s + beta}, {@code s = gamma / sqrt(var + eps)}; the model's
 * load-time folding, {@link Model#foldedConvolution}), so the rule sees one affine layer; a BatchNorm elsewhere is
 * a per-channel affine map with the epsilon rule. A residual sum splits relevance between body and shortcut in
 * proportion to their contributions; ReLU and Dropout pass it; Flatten reshapes it; pools follow
 * {@link Redistribution}.
 *
 * <p>Relevance at named layers: the relevance at a layer's output (a folded Conv2d shares its BatchNorm's); a module
 * called several times (a ResNet block's shared ReLU) reports its last call in forward order, as forward hooks do.
 * Memory: the forward activations of the batch plus a few relevance tensors.
 */
public final class RelevancePass {
    /** From the relevance at one step's output to the relevance at its input. May return its argument (a pass). */
    @FunctionalInterface
    private interface Step {
        Tensor back(Tensor relevance);

        /**
         * {@code back(relevance) + addend}, a new tensor (a residual block's body's first step, the shortcut's
         * relevance added); affine steps add it in their rule's last store.
         */
        default Tensor backPlus(Device d, Tensor relevance, Tensor addend) {
            Tensor own = back(relevance);
            try {
                return d.add(own, addend);
            } finally {
                if (own != relevance) {
                    own.close();
                }
            }
        }
    }

    private final Device d;
    private final Model model;
    private final Composite composite;
    private final Set<String> wanted;
    private final Map<String, Tensor> recorded = new LinkedHashMap<>();
    private int affineLayers;      // affine layers seen so far in forward order
    private boolean nonNegative;   // the current activation is known to be >= 0

    private RelevancePass(Model model, Composite composite, Set<String> wanted) {
        this.d = model.device();
        this.model = model;
        this.composite = composite;
        this.wanted = wanted;
    }

    /**
     * Explains {@code input} (N,C,H,W): the input relevance of {@code seed} under {@code composite}, and the
     * relevance at the output of each layer in {@code layers} (module paths; unknown names are one error listing
     * the valid ones). Composite overrides must name Conv2d or Linear layers of the model.
     */
    public static Relevance run(Model model, Tensor input, Seed seed, Composite composite, Collection<String> layers) {
        Set<String> wanted = new LinkedHashSet<>(layers);
        checkNames(model, wanted, composite);
        RelevancePass pass = new RelevancePass(model, composite, wanted);
        try (TensorScope scope = TensorScope.open()) {
            List<Step> steps = new ArrayList<>();
            Tensor logits = pass.forward(model.spec().root(), input, steps);
            Tensor relevance = pass.backward(steps, seed.at(pass.d, logits));
            return new Relevance(scope.keep(relevance), scope.keep(logits), pass.recorded);
        } catch (RuntimeException e) {
            pass.recorded.values().forEach(Tensor::close);
            throw e;
        }
    }

    /** {@link #run} without recording layers. */
    public static Relevance run(Model model, Tensor input, Seed seed, Composite composite) {
        return run(model, input, seed, composite, List.of());
    }

    /** Module paths of every named layer of {@code model}, in forward order (for dumps and messages). */
    public static List<String> layerNames(Model model) {
        Set<String> names = new LinkedHashSet<>();
        for (Layer l : Layers.flatten(model.spec().root())) {
            if (!l.name().isEmpty()) {
                names.add(l.name());
            }
        }
        return List.copyOf(names);
    }

    private static void checkNames(Model model, Set<String> wanted, Composite composite) {
        List<String> all = layerNames(model);
        for (String name : wanted) {
            if (!all.contains(name)) {
                throw new IllegalArgumentException(model.spec().architecture() + " has no layer '" + name
                        + "'; valid layers: " + String.join(", ", all));
            }
        }
        Set<String> affine = new TreeSet<>();
        for (Layer l : Layers.flatten(model.spec().root())) {
            if (l instanceof Layer.Conv2d || l instanceof Layer.Linear) {
                affine.add(l.name());
            }
        }
        for (String name : composite.byName().keySet()) {
            if (!affine.contains(name)) {
                throw new IllegalArgumentException("composite " + composite.name() + " assigns a rule to '" + name
                        + "', which is not a Conv2d or Linear layer of " + model.spec().architecture()
                        + "; choose among: " + String.join(", ", affine));
            }
        }
    }

    // ---- forward: compute each layer's output and append the step that takes relevance back over it ----

    private Tensor forward(Layer layer, Tensor x, List<Step> steps) {
        if (layer instanceof Layer.Sequential s) {
            return sequence(s, x, steps, null);
        } else if (layer instanceof Layer.Residual r) {
            return residual(r, x, steps);
        } else if (layer instanceof Layer.Conv2d c) {
            return conv(c, x, false, steps, null);
        } else if (layer instanceof Layer.Linear l) {
            return affine(l.name(), List.of(l.name()), new AffineOp.Dense(), model.parameter(l.name() + ".weight"),
                    model.parameter(l.name() + ".bias"), x, false, steps, null);
        } else if (layer instanceof Layer.BatchNorm2d b) {
            return batchNorm(b, x, steps);
        }
        Tensor y;
        Step step;
        if (layer instanceof Layer.ReLU) {
            y = d.relu(x);
            step = r -> r;
            nonNegative = true;
        } else if (layer instanceof Layer.MaxPool2d m) {
            y = d.maxPool2d(x, m.params());
            step = composite.maxPool() == MaxPoolRule.WINNER_TAKES_ALL
                    ? r -> Redistribution.maxPoolWinnerTakesAll(d, x, r, m.params())
                    : r -> Redistribution.maxPoolProportional(d, x, r, m.params(), composite.stabilizer());
        } else if (layer instanceof Layer.AdaptiveAvgPool2d a) {
            y = d.adaptiveAvgPool2d(x, a.outH(), a.outW());
            step = r -> Redistribution.adaptiveAvgPool(d, x, r, composite.stabilizer());
        } else if (layer instanceof Layer.Flatten) {
            Shape s = x.shape();
            y = d.reshape(x, Shape.of(s.dim(0), s.size(1, s.rank())));
            step = r -> d.reshape(r, s);
        } else if (layer instanceof Layer.Dropout) {
            y = d.reshape(x, x.shape());
            step = r -> r;
        } else {
            throw new IllegalStateException("no relevance rule for " + layer);
        }
        steps.add(recording(List.of(layer.name()), step));
        return y;
    }

    /**
     * Children in order, a Conv2d and the BatchNorm2d right after it as one folded layer, and a ReLU after those
     * inside the convolution. With {@code blockSum} (a residual block's body) a last such convolution also makes the
     * block's output.
     */
    private Tensor sequence(Layer.Sequential s, Tensor x, List<Step> steps, BlockSum blockSum) {
        Tensor current = x;
        List<Layer> children = s.children();
        for (int i = 0; i < children.size(); i++) {
            Layer child = children.get(i);
            if (child instanceof Layer.Conv2d c && i + 1 < children.size()
                    && children.get(i + 1) instanceof Layer.BatchNorm2d b) {
                boolean relu = i + 2 < children.size() && children.get(i + 2) instanceof Layer.ReLU;
                boolean last = i + 2 == children.size();
                current = foldedConv(c, b, current, relu, steps, last ? blockSum : null);
                i++;
                if (relu) {
                    reluInside(children.get(++i), steps);
                }
            } else if (child instanceof Layer.Conv2d c && i + 1 < children.size()
                    && children.get(i + 1) instanceof Layer.ReLU) {
                current = conv(c, current, true, steps, null);
                reluInside(children.get(++i), steps);
            } else if (child instanceof Layer.Conv2d c && i + 1 == children.size()) {
                current = conv(c, current, false, steps, blockSum);
            } else {
                current = forward(child, current, steps);
            }
        }
        if (!s.name().isEmpty()) {
            steps.add(recording(List.of(s.name()), r -> r));
        }
        return current;
    }

    /**
     * A residual block's shortcut, which the body's last convolution adds in its store (Device.conv2dAddRelu), and
     * the block's output it then made (null until then).
     */
    private static final class BlockSum {
        final Tensor shortcut;
        Tensor output;

        BlockSum(Tensor shortcut) {
            this.shortcut = shortcut;
        }
    }

    private Tensor residual(Layer.Residual block, Tensor x, List<Step> steps) {
        boolean inputNonNegative = nonNegative;
        // the shortcut first, so that the body's last convolution can add it; but where the block holds the
        // network's first affine layer the body first, whose first convolution then stays that layer (its rule)
        boolean shortcutFirst = affineLayers > 0;
        List<Step> shortcutSteps = new ArrayList<>();
        Tensor early = shortcutFirst ? sequence(block.shortcut(), x, shortcutSteps, null) : null;
        nonNegative = inputNonNegative;
        List<Step> bodySteps = new ArrayList<>();
        BlockSum blockSum = shortcutFirst ? new BlockSum(early) : null;
        Tensor body = sequence(block.body(), x, bodySteps, blockSum);
        nonNegative = inputNonNegative;
        Tensor shortcut = shortcutFirst ? early : sequence(block.shortcut(), x, shortcutSteps, null);
        Tensor y = blockSum != null && blockSum.output != null ? blockSum.output : d.addRelu(body, shortcut);
        nonNegative = true;
        float eps = composite.stabilizer();
        steps.add(recording(List.of(block.name(), block.relu().name()), r -> {
            Tensor[] shares;
            if (composite.sum() == Composite.SumRule.POSITIVE) {
                shares = Redistribution.positiveSumShares(d, body, shortcut, r, eps);
            } else { // the sum again rather than kept through the pass: one add, memory for the activations
                try (Tensor sum = d.add(body, shortcut)) {
                    shares = Redistribution.sumShares(d, body, shortcut, sum, r, eps);
                }
            }
            Tensor viaShortcut = backward(shortcutSteps, shares[1]);
            try (viaShortcut) { // added in the body's first step (the sum of the two paths, one pass fewer)
                return backwardPlus(bodySteps, shares[0], viaShortcut);
            }
        }));
        return y;
    }

    /**
     * A convolution with no BatchNorm after it ({@code relu}: and the ReLU after it inside; {@code blockSum}, if not
     * null: a residual block's output made with it).
     */
    private Tensor conv(Layer.Conv2d c, Tensor x, boolean relu, List<Step> steps, BlockSum blockSum) {
        return affine(c.name(), List.of(c.name()), new AffineOp.Convolution(c.params()),
                model.parameter(c.name() + ".weight"), c.bias() ? model.parameter(c.name() + ".bias") : null, x, relu,
                steps, blockSum);
    }

    private Tensor foldedConv(Layer.Conv2d conv, Layer.BatchNorm2d bn, Tensor x, boolean relu, List<Step> steps,
                              BlockSum blockSum) {
        Tensor[] folded = model.foldedConvolution(conv.name()).orElseThrow(() -> new IllegalStateException(
                conv.name() + " is followed by " + bn.name() + " but the model holds no folded weights for it"));
        return affine(conv.name(), List.of(bn.name(), conv.name()), new AffineOp.Convolution(conv.params()),
                folded[0], folded[1], x, relu, steps, blockSum);
    }

    /** The step of a ReLU that ran inside the convolution before it: relevance passes; the output is >= 0. */
    private void reluInside(Layer relu, List<Step> steps) {
        steps.add(recording(List.of(relu.name()), r -> r));
        nonNegative = true;
    }

    /**
     * An affine layer's output ({@code relu}: with the ReLU after it applied inside the convolution, which saves a
     * pass over the activation; the rules need only the layer's input) and its relevance step. With
     * {@code blockSum} (a convolution only) the same convolution also makes the residual block's output.
     */
    private Tensor affine(String name, List<String> names, AffineOp op, Tensor weight, Tensor bias, Tensor x,
                          boolean relu, List<Step> steps, BlockSum blockSum) {
        Tensor y;
        if (blockSum != null) {
            Tensor[] outputAndBody = d.conv2dAddRelu(x, weight, bias, ((AffineOp.Convolution) op).params(),
                    blockSum.shortcut);
            blockSum.output = outputAndBody[0];
            y = outputAndBody[1];
        } else {
            y = relu ? d.conv2dFused(x, weight, bias, ((AffineOp.Convolution) op).params(), null, true)
                    : op.apply(d, x, weight, bias);
        }
        AffineLayer layer = new AffineLayer(name, op, weight, bias, nonNegative);
        Rule rule = composite.ruleFor(name, op instanceof AffineOp.Convolution, affineLayers++ == 0);
        steps.add(recording(names, new Step() {
            @Override
            public Tensor back(Tensor r) {
                return rule.relevance(d, layer, x, r);
            }

            @Override
            public Tensor backPlus(Device device, Tensor r, Tensor addend) {
                return rule.relevancePlus(d, layer, x, r, addend);
            }
        }));
        nonNegative = false;
        return y;
    }

    /** A BatchNorm with no convolution before it: {@code R_in = x * scale * R / stabilise(bn(x))}. */
    private Tensor batchNorm(Layer.BatchNorm2d bn, Tensor x, List<Step> steps) {
        Tensor y = d.batchNorm(x, model.parameter(bn.name() + ".running_mean"),
                model.parameter(bn.name() + ".running_var"), model.parameter(bn.name() + ".weight"),
                model.parameter(bn.name() + ".bias"), bn.eps());
        Tensor scale = BatchNormScale.of(d, model, bn).reshape(1, bn.channels(), 1, 1);
        float eps = composite.stabilizer();
        steps.add(recording(List.of(bn.name()), r -> {
            try (TensorScope scope = TensorScope.open()) {
                Tensor s = Stabilizer.divide(d, r, y, eps);
                return scope.keep(d.mul(x, d.mul(scale, s)));
            }
        }));
        nonNegative = false;
        return y;
    }

    // ---- backward ----

    /** Runs {@code steps} in reverse from {@code relevance}, which it takes over (closes unless returned). */
    private Tensor backward(List<Step> steps, Tensor relevance) {
        return backward(steps, 0, relevance);
    }

    /** Runs {@code steps} from the last down to {@code first}, taking {@code relevance} over. */
    private Tensor backward(List<Step> steps, int first, Tensor relevance) {
        Tensor current = relevance;
        for (int i = steps.size() - 1; i >= first; i--) {
            Tensor next = steps.get(i).back(current);
            if (next != current) {
                current.close();
            }
            current = next;
        }
        return current;
    }

    /**
     * {@link #backward} plus {@code addend} (not taken over), added by the first step: a new tensor, {@code relevance}
     * taken over.
     */
    private Tensor backwardPlus(List<Step> steps, Tensor relevance, Tensor addend) {
        try (Tensor atFirst = backward(steps, 1, relevance)) {
            return steps.isEmpty() ? d.add(atFirst, addend) : steps.get(0).backPlus(d, atFirst, addend);
        }
    }

    /** {@code step}, keeping its output relevance under each wanted name not recorded yet. */
    private Step recording(List<String> names, Step step) {
        List<String> kept = names.stream().filter(wanted::contains).toList();
        if (kept.isEmpty()) {
            return step;
        }
        return new Step() {
            @Override
            public Tensor back(Tensor r) {
                record(r);
                return step.back(r);
            }

            @Override
            public Tensor backPlus(Device device, Tensor r, Tensor addend) {
                record(r);
                return step.backPlus(device, r, addend);
            }

            private void record(Tensor r) {
                for (String name : kept) {
                    recorded.computeIfAbsent(name, n -> r.share());
                }
            }
        };
    }
}
