package io.ucag.models.relevance;

import io.ucag.runtime.relevance.AlphaBeta;
import io.ucag.runtime.relevance.Rule;
import io.ucag.runtime.relevance.Stabilizer;
import io.ucag.runtime.relevance.ZPlus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A named assignment of LRP rules to a network's layers (zennit's composites): a rule for convolutions, one for
 * dense layers, optionally one for the first affine layer in forward order (zennit's "first layer" map), and
 * per-layer-name overrides that win over all of these. Parameter-free layers are fixed as in zennit's
 * {@code LAYER_MAP_BASE}: ReLU passes relevance unchanged, residual sums and average pools split it in proportion
 * to each input's contribution (stabilised with {@link #stabilizer}; residual sums may instead split only the
 * positive parts, {@link #sum}), max pools by {@link #maxPool}. Immutable.
 *
 * @param name       registry name, e.g. {@code epsilon-plus}
 * @param conv       rule of {@code Conv2d} layers (with any BatchNorm folded in)
 * @param dense      rule of {@code Linear} layers
 * @param first      rule of the first affine layer, or null for none
 * @param byName     layer name to rule, overriding the others
 * @param maxPool    max-pooling rule
 * @param sum        residual-addition rule
 * @param stabilizer epsilon of the proportional splits (sums, pools); 0 for exact LRP-0
 */
public record Composite(String name, Rule conv, Rule dense, Rule first, Map<String, Rule> byName,
                        MaxPoolRule maxPool, SumRule sum, float stabilizer) {
    /** How a residual addition splits relevance between its two terms. */
    public enum SumRule {
        /** In proportion to each term's value (zennit's {@code Norm} on {@code Sum}); terms may get negative shares. */
        PROPORTIONAL,
        /** In proportion to each term's positive part (alpha1-beta0 on the addition): keeps z-plus maps {@code >= 0}. */
        POSITIVE
    }

    public Composite {
        Objects.requireNonNull(conv, "conv rule");
        Objects.requireNonNull(dense, "dense rule");
        Objects.requireNonNull(maxPool, "max-pool rule");
        Objects.requireNonNull(sum, "sum rule");
        byName = Map.copyOf(byName);
        if (!(stabilizer >= 0)) {
            throw new IllegalArgumentException("composite " + name + ": stabilizer must be >= 0, got " + stabilizer);
        }
    }

    /** A composite with the zennit defaults for the parameter-free layers. */
    public static Composite of(String name, Rule conv, Rule dense, Rule first) {
        return new Composite(name, conv, dense, first, Map.of(), MaxPoolRule.WINNER_TAKES_ALL, SumRule.PROPORTIONAL,
                Stabilizer.DEFAULT_EPSILON);
    }

    /** The rule of the affine layer {@code layer}; {@code isFirst}: it is the first affine layer in forward order. */
    public Rule ruleFor(String layer, boolean convolution, boolean isFirst) {
        Rule named = byName.get(layer);
        if (named != null) {
            return named;
        }
        if (isFirst && first != null) {
            return first;
        }
        return convolution ? conv : dense;
    }

    /**
     * True when every convolution but the first layer gets a rule whose denominators have a known sign (z-plus,
     * alpha-beta): no cancellation amplifies a convolution's rounding, so a faster convolution with a larger
     * rounding error ({@link io.ucag.runtime.FastConvolutions}) leaves the map as it is (measured on ResNet-50:
     * within 2e-6 of the map's largest value; the epsilon rule's signed denominators moved it by 2.7e-4).
     */
    public boolean signDefiniteConvolutions() {
        if (!signDefinite(conv)) {
            return false;
        }
        return byName.values().stream().allMatch(Composite::signDefinite);
    }

    private static boolean signDefinite(Rule rule) {
        return rule instanceof ZPlus || rule instanceof AlphaBeta;
    }

    /** This composite with {@code rule} on the layer called {@code layer} (a Conv2d or Linear module path). */
    public Composite withRule(String layer, Rule rule) {
        Map<String, Rule> rules = new LinkedHashMap<>(byName);
        rules.put(layer, Objects.requireNonNull(rule, "rule"));
        return new Composite(name, conv, dense, first, rules, maxPool, sum, stabilizer);
    }

    /** This composite with another max-pooling rule. */
    public Composite withMaxPool(MaxPoolRule rule) {
        return new Composite(name, conv, dense, first, byName, rule, sum, stabilizer);
    }

    /** This composite with another residual-addition rule. */
    public Composite withSum(SumRule rule) {
        return new Composite(name, conv, dense, first, byName, maxPool, rule, stabilizer);
    }

    /** This composite with another stabiliser for the parameter-free layers. */
    public Composite withStabilizer(float epsilon) {
        return new Composite(name, conv, dense, first, byName, maxPool, sum, epsilon);
    }
}
