package io.ucag.explain.relative;

import io.ucag.runtime.Device;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import java.util.List;

/**
 * Walks recorded {@link Step}s backwards, moving relevance from a layer's output to its input: weighted layers by a
 * method's {@link WeightedRule}, residual sums by its {@link AddRule}, pooling by the LRP-0 (z) rule, which for
 * max pooling gives each window's relevance to its maximum and for average pooling shares it in proportion to the
 * inputs. ReLU leaves relevance unchanged (its step is skipped, and not shown to the observer); Dropout and
 * (folded) BatchNorm have no step.
 */
public final class Propagation {
    /** Relevance across a weighted layer: (N,O,Ho,Wo) at the output to (N,C,H,W) at the input. */
    @FunctionalInterface
    public interface WeightedRule {
        Tensor propagate(Device d, Step.Weighted layer, Tensor relevance);
    }

    /** Splits the relevance of {@code body + shortcut} (all (N,C,H,W)) into the branches' shares {body, shortcut}. */
    @FunctionalInterface
    public interface AddRule {
        Tensor[] split(Device d, Tensor body, Tensor shortcut, Tensor relevance);
    }

    /**
     * The z-rule: each branch gets its share {@code x_branch / (body + shortcut)} of the relevance. Unbounded where
     * the branches nearly cancel (body ~ -shortcut): there it multiplies float rounding by |body| / |body + shortcut|.
     */
    public static final AddRule PROPORTIONAL = (d, body, shortcut, relevance) -> {
        Tensor s = Stabilized.divide(d, relevance, d.add(body, shortcut));
        return new Tensor[] {d.mul(body, s), d.mul(shortcut, s)};
    };

    /**
     * Shares by magnitude: each branch gets {@code |x_branch| / (|body| + |shortcut|)} of the relevance, a share in
     * [0,1] whatever the signs (RAP's "absolute influence" applied to the sum); conservative and bounded.
     */
    public static final AddRule BY_MAGNITUDE = (d, body, shortcut, relevance) -> {
        Tensor b = d.abs(body);
        Tensor s = d.abs(shortcut);
        Tensor ratio = Stabilized.divideNonNegative(d, relevance, d.add(b, s));
        return new Tensor[] {d.mul(b, ratio), d.mul(s, ratio)};
    };

    /**
     * Shares by positive part: each branch gets {@code max(x_branch, 0) / (max(body, 0) + max(shortcut, 0))} (RSP's
     * {@code Add}, which clamps both inputs at zero); a share in [0,1].
     */
    public static final AddRule BY_POSITIVE_PART = (d, body, shortcut, relevance) -> {
        Tensor b = d.relu(body);
        Tensor s = d.relu(shortcut);
        Tensor ratio = Stabilized.divideNonNegative(d, relevance, d.add(b, s));
        return new Tensor[] {d.mul(b, ratio), d.mul(s, ratio)};
    };

    private final Device d;
    private final WeightedRule weighted;
    private final AddRule add;
    private final RelevanceObserver observer;

    public Propagation(Device d, WeightedRule weighted, AddRule add, RelevanceObserver observer) {
        this.d = d;
        this.weighted = weighted;
        this.add = add;
        this.observer = observer;
    }

    /**
     * The relevance at the input of {@code steps[0]} given {@code relevance} at the output of {@code steps[end-1]};
     * the result belongs to the caller's scope.
     */
    public Tensor backward(List<Step> steps, int end, Tensor relevance) {
        Tensor r = relevance;
        for (int i = end - 1; i >= 0; i--) {
            Step step = steps.get(i);
            if (step instanceof Step.Relu) {
                continue; // relevance passes a ReLU unchanged
            }
            try (TensorScope scope = TensorScope.open()) {
                Tensor next = step(step, r);
                observer.onRelevance(step.name(), next);
                if (r != relevance) {
                    r.close(); // an intermediate of this walk: no longer needed
                }
                r = scope.keep(next);
            }
        }
        return r;
    }

    private Tensor step(Step step, Tensor r) {
        if (step instanceof Step.Weighted w) {
            Tensor out = weighted.propagate(d, w, d.reshape(r, w.convOutputShape()));
            return d.reshape(out, w.inputShape());
        } else if (step instanceof Step.MaxPool m) {
            Tensor s = Stabilized.divide(d, r, d.maxPool2d(m.input(), m.params()));
            return d.mul(m.input(), d.maxPool2dBackward(s, m.input(), m.params()));
        } else if (step instanceof Step.AdaptiveAvgPool a) {
            Tensor s = Stabilized.divide(d, r, d.adaptiveAvgPool2d(a.input(), a.outH(), a.outW()));
            return d.mul(a.input(), d.adaptiveAvgPool2dBackward(s, a.input().shape()));
        } else if (step instanceof Step.Reshape s) {
            return d.reshape(r, s.inputShape());
        } else if (step instanceof Step.Residual res) {
            Tensor[] shares = add.split(d, res.bodyOutput(), res.shortcutOutput(), r);
            Tensor body = backward(res.body(), res.body().size(), shares[0]);
            Tensor shortcut = backward(res.shortcut(), res.shortcut().size(), shares[1]);
            return d.add(body, shortcut);
        }
        throw new IllegalStateException("no relevance rule for " + step);
    }
}
