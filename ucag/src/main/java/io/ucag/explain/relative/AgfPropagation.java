package io.ucag.explain.relative;

import io.ucag.models.Preprocessing;
import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.ops.Conv2dParams;
import io.ucag.runtime.ops.ReduceOp;
import java.util.List;

/**
 * AGF's backward walk for ONE batch item (Gur, Ali and Wolf, "Visualization of Supervised and Self-Supervised Neural
 * Networks via Attribution Guided Factorization", AAAI 2021; the authors' {@code modules/layers.py}). Two streams go
 * down together: the gradient G of the salient target ({@link AgfSeed}) and the attribution R. Per layer, with x the
 * layer's input and w its weight (BatchNorm folded in, which changes no term below):
 * <ul>
 *   <li>ReLU: G masked by {@code x > 0}; R unchanged. Pooling: R by the z-rule, G by the pooling's gradient.</li>
 *   <li>every convolution and linear layer: the absolute rule {@code C_i = |x_i| sum_j |w_ij| R_j / sum_i |x_i||w_ij|}.
 *       "Flat" layers -- 1x1 kernels, and the last convolution of a residual body, as the authors' ResNet passes
 *       {@code flat=True} -- stop there; so does a linear layer, except the one after the flatten, which adds the
 *       positive channel mean M of x*G to C by the delta shift below.</li>
 *   <li>the other convolutions add to C, by the delta shift {@code C + Q - [C != 0] sum(Q) / #(C != 0)} (which keeps
 *       the sum of C), the guide
 *       <pre>
 *   Q = [C != 0] ((F_x + M) / (1 + exp(-C)) + F_dx + A)
 *       </pre>
 *       with M = relu(mean_c(x G_in)) / max (gradient x activation), F_x and F_dx the factorisations
 *       ({@link AgfFactorization}) of x and of the gradient that only the attributed outputs send back, both guided
 *       by phi = mean_c(C) and clamped at 0, and A the flat rule (x replaced by ones).</li>
 *   <li>the first layer, on the image: the z^B rule with the preprocessing's pixel bounds ({@link ZBox}).</li>
 *   <li>residual sums: R split by the magnitude of each branch ({@link Propagation#BY_MAGNITUDE}), G copied to
 *       both; both add up at the block's input.</li>
 * </ul>
 * Departures from the authors' code: the z^B bounds (the code takes the image's minimum and maximum); the residual
 * split (the code's signed z-rule is unbounded where the branches nearly cancel); no final division by the map's
 * maximum (maps stay raw for UCAG).
 */
public final class AgfPropagation {
    private final Device d;
    private final Preprocessing preprocessing;
    private final RelevanceObserver observer;

    /** The attribution and the gradient at one place of the network, both (1, ...). */
    private record Streams(Tensor relevance, Tensor gradient) {
    }

    public AgfPropagation(Device d, Preprocessing preprocessing, RelevanceObserver observer) {
        this.d = d;
        this.preprocessing = preprocessing;
        this.observer = observer;
    }

    /** The attribution at the input of {@code steps[0]} from R and G at the output of {@code steps[end-1]}. */
    public Tensor backward(List<Step> steps, int end, Tensor relevance, Tensor gradient) {
        return walk(steps, end, new Streams(relevance, gradient), false, false).relevance();
    }

    /**
     * @param flatLast the last weighted step of {@code steps} is flat (a residual body)
     * @param allFlat  every weighted step is flat (a residual shortcut)
     */
    private Streams walk(List<Step> steps, int end, Streams streams, boolean flatLast, boolean allFlat) {
        int lastWeighted = -1;
        for (int i = 0; i < end; i++) {
            lastWeighted = steps.get(i) instanceof Step.Weighted ? i : lastWeighted;
        }
        Streams s = streams;
        for (int i = end - 1; i >= 0; i--) {
            Step step = steps.get(i);
            try (TensorScope scope = TensorScope.open()) {
                boolean flat = allFlat || flatLast && i == lastWeighted;
                Step before = i > 0 ? steps.get(i - 1) : null;
                Streams next = step(step, s, flat, before);
                if (!(step instanceof Step.Relu)) {
                    observer.onRelevance(step.name(), next.relevance());
                }
                s = new Streams(scope.keep(next.relevance()), next.gradient() == null ? null
                        : scope.keep(next.gradient()));
            }
        }
        return s;
    }

    private Streams step(Step step, Streams s, boolean flat, Step before) {
        Tensor r = s.relevance();
        Tensor g = s.gradient();
        if (step instanceof Step.Relu relu) {
            return new Streams(d.reshape(r, r.shape()), d.reluBackward(g, relu.output()));
        } else if (step instanceof Step.Weighted w) {
            Tensor out = w.imageInput()
                    ? ZBox.propagate(d, w, d.reshape(r, w.convOutputShape()), preprocessing)
                    : weighted(w, d.reshape(r, w.convOutputShape()), d.reshape(g, w.convOutputShape()), flat, before);
            Tensor gradIn = w.imageInput() ? null : d.reshape(Transposed.of(d, d.reshape(g, w.convOutputShape()),
                    w.weight(), w.input().shape(), w.params()), w.inputShape());
            return new Streams(d.reshape(out, w.inputShape()), gradIn);
        } else if (step instanceof Step.MaxPool m) {
            Tensor ratio = Stabilized.divide(d, r, d.maxPool2d(m.input(), m.params()));
            return new Streams(d.mul(m.input(), d.maxPool2dBackward(ratio, m.input(), m.params())),
                    d.maxPool2dBackward(g, m.input(), m.params()));
        } else if (step instanceof Step.AdaptiveAvgPool a) {
            Tensor ratio = Stabilized.divide(d, r, d.adaptiveAvgPool2d(a.input(), a.outH(), a.outW()));
            return new Streams(d.mul(a.input(), d.adaptiveAvgPool2dBackward(ratio, a.input().shape())),
                    d.adaptiveAvgPool2dBackward(g, a.input().shape()));
        } else if (step instanceof Step.Reshape shape) {
            return new Streams(d.reshape(r, shape.inputShape()), d.reshape(g, shape.inputShape()));
        } else if (step instanceof Step.Residual res) {
            Tensor[] shares = Propagation.BY_MAGNITUDE.split(d, res.bodyOutput(), res.shortcutOutput(), r);
            Streams body = walk(res.body(), res.body().size(), new Streams(shares[0], g), true, false);
            Streams shortcut = walk(res.shortcut(), res.shortcut().size(), new Streams(shares[1], g), false, true);
            return new Streams(d.add(body.relevance(), shortcut.relevance()),
                    d.add(body.gradient(), shortcut.gradient()));
        }
        throw new IllegalStateException("no AGF rule for " + step);
    }

    /** The attribution at the input of a convolution or linear layer (not the first); r and g (1,O,Ho,Wo). */
    private Tensor weighted(Step.Weighted w, Tensor r, Tensor g, boolean flat, Step before) {
        Conv2dParams p = w.params();
        Tensor x = w.input();
        Shape shape = x.shape();
        Tensor absX = d.abs(x);
        Tensor absW = d.abs(w.weight());
        Tensor c = d.mul(absX, Transposed.of(d, 
                Stabilized.divideNonNegative(d, r, d.conv2d(absX, absW, null, p)), absW, shape, p));
        Tensor nonZero = d.abs(d.sign(c));
        if (w.linear()) {
            if (!(before instanceof Step.Reshape flatten)) {
                return c;
            }
            // After the flatten: M from the 4-D activations, as the code's reshape_gfn branch.
            Shape s4 = flatten.inputShape();
            Tensor gradIn = d.reshape(Transposed.of(d, g, w.weight(), shape, p), s4);
            Tensor m = d.add(d.zeros(s4), channelMean(d.mul(d.reshape(x, s4), gradIn)));
            m = d.mul(d.relu(d.reshape(m, shape)), nonZero);
            m = Stabilized.divideNonNegative(d, m, d.reduce(m, ReduceOp.MAX, new int[] {1, 2, 3}, true));
            return deltaShift(c, m, nonZero);
        }
        if (flat || w.weight().shape().dim(2) == 1 && w.weight().shape().dim(3) == 1) {
            return c;
        }
        Tensor gradIn = Transposed.of(d, g, w.weight(), shape, p);
        Tensor m = d.relu(channelMean(d.mul(x, gradIn)));                                        // (1,1,H,W)
        m = Stabilized.divideNonNegative(d, m, d.reduce(m, ReduceOp.MAX, new int[] {1, 2, 3}, true));
        Tensor attributedGrad = Transposed.of(d, d.mul(g, d.abs(d.sign(r))), w.weight(), shape, p);
        Tensor phi = channelMean(c);
        Tensor fx = d.relu(AgfFactorization.factor(d, x, phi));
        Tensor fdx = d.relu(AgfFactorization.factor(d, attributedGrad, phi));
        Tensor ones = d.add(d.zeros(shape), Stabilized.one(d));
        Tensor a = Transposed.of(d, 
                Stabilized.divideNonNegative(d, r, d.conv2d(ones, absW, null, p)), absW, shape, p);
        Tensor guide = d.add(d.add(d.div(d.add(fx, m), d.add(d.exp(d.scale(c, -1f)), Stabilized.one(d))), fdx), a);
        return deltaShift(c, d.mul(guide, nonZero), nonZero);
    }

    /** {@code c + q - nonZero * sum(q) / #nonZero}: q added to c's nonzero elements, c's sum kept. */
    private Tensor deltaShift(Tensor c, Tensor q, Tensor nonZero) {
        Tensor count = d.clamp(Stabilized.itemSum(d, nonZero), 1f, Float.POSITIVE_INFINITY);
        Tensor shift = d.mul(d.div(Stabilized.itemSum(d, q), count), nonZero);
        return d.add(d.add(c, q), d.scale(shift, -1f));
    }

    private Tensor channelMean(Tensor x) {
        return d.reduce(x, ReduceOp.MEAN, new int[] {1}, true);
    }
}
