package io.ucag.models.relevance;

import io.ucag.models.Preprocessing;
import io.ucag.runtime.relevance.AlphaBeta;
import io.ucag.runtime.relevance.Epsilon;
import io.ucag.runtime.relevance.Flat;
import io.ucag.runtime.relevance.Gamma;
import io.ucag.runtime.relevance.ZBox;
import io.ucag.runtime.relevance.ZPlus;
import java.util.List;
import java.util.Locale;

/**
 * The named composites; {@code --composite} and the tests iterate over {@link #NAMES}. Defaults are zennit's
 * (epsilon 1e-6, gamma 0.25) unless stated. "Affine" layers are Conv2d (BatchNorm folded in) and Linear.
 * <ul>
 *   <li>{@code epsilon-plus} (zennit {@code EpsilonPlus}): z-plus on every convolution, epsilon(1e-6) on every
 *       dense layer.</li>
 *   <li>{@code epsilon-plus-flat} (zennit {@code EpsilonPlusFlat}): as epsilon-plus, but flat on the first affine
 *       layer.</li>
 *   <li>{@code epsilon-gamma-box} (zennit {@code EpsilonGammaBox}): z-box on the first convolution, with bounds
 *       the normalised pixel range of the model's preprocessing ({@link Preprocessing#bounds()}); gamma(0.25) on
 *       every other convolution; epsilon(1e-6) on every dense layer.</li>
 *   <li>{@code alpha2-beta1} (zennit {@code EpsilonAlpha2Beta1}): alpha-beta(2,1) on every convolution,
 *       epsilon(1e-6) on every dense layer.</li>
 *   <li>{@code alpha1-beta0}: alpha-beta(1,0) (= z-plus) on every affine layer, dense ones included: the uniform
 *       rule of Bach et al. 2015 ("the paper's LRP"), residual additions included (only positive terms share;
 *       {@link Composite.SumRule#POSITIVE}), so its maps are {@code >= 0} for a positive logit. zennit has no such
 *       composite (its alpha1-beta0 analogue, EpsilonPlus, keeps epsilon on dense layers: that is
 *       {@code epsilon-plus}).</li>
 *   <li>{@code epsilon}: epsilon(0.25) on every affine layer (Bach et al. 2015's LRP-epsilon; not a zennit
 *       composite).</li>
 *   <li>{@code lrp0}: LRP-0 everywhere and unstabilised splits: equals Gradient x Input on a bias-free ReLU
 *       network.</li>
 * </ul>
 */
public final class Composites {
    public static final List<String> NAMES = List.of("epsilon-plus", "epsilon-plus-flat", "epsilon-gamma-box",
            "alpha2-beta1", "alpha1-beta0", "epsilon", "lrp0");

    /** epsilon of the dense layers in zennit's composites. */
    public static final float ZENNIT_EPSILON = 1e-6f;
    /** gamma of zennit's EpsilonGammaBox. */
    public static final float ZENNIT_GAMMA = 0.25f;
    /** epsilon of the {@code epsilon} composite. */
    public static final float EPSILON = 0.25f;

    private Composites() {
    }

    /**
     * The composite called {@code name}; {@code preprocessing} gives the z-box bounds. An unknown name is one error
     * listing the valid ones.
     */
    public static Composite create(String name, Preprocessing preprocessing) {
        String key = name.toLowerCase(Locale.ROOT).replace('_', '-');
        Epsilon epsilon = new Epsilon(ZENNIT_EPSILON);
        return switch (key) {
            case "epsilon-plus" -> Composite.of(key, new ZPlus(), epsilon, null);
            case "epsilon-plus-flat" -> Composite.of(key, new ZPlus(), epsilon, new Flat());
            case "epsilon-gamma-box" -> {
                float[][] bounds = preprocessing.bounds();
                yield Composite.of(key, new Gamma(ZENNIT_GAMMA), epsilon, new ZBox(bounds[0], bounds[1]));
            }
            case "alpha2-beta1", "epsilon-alpha2-beta1" -> Composite.of("alpha2-beta1", new AlphaBeta(2, 1),
                    epsilon, null);
            case "alpha1-beta0" -> Composite.of(key, new AlphaBeta(1, 0), new AlphaBeta(1, 0), null)
                    .withSum(Composite.SumRule.POSITIVE);
            case "epsilon" -> Composite.of(key, new Epsilon(EPSILON), new Epsilon(EPSILON), null);
            case "lrp0" -> Composite.of(key, Epsilon.lrp0(), Epsilon.lrp0(), null).withStabilizer(0f);
            default -> throw new IllegalArgumentException("unknown LRP composite '" + name + "'; choose one of "
                    + NAMES);
        };
    }
}
