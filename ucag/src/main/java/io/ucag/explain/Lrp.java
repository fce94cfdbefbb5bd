package io.ucag.explain;

import io.ucag.models.relevance.Composites;
import io.ucag.models.relevance.Seed;

/**
 * Layer-wise relevance propagation (Bach et al., PLoS ONE 2015) with a named composite of rules (Montavon et al.
 * 2019; zennit's composites, see {@link Composites}), seeded with the target logit (pre-softmax), so that the map
 * sums to the logit up to what biases and stabilisers absorb. Registered as {@code lrp} (composite
 * {@code epsilon-plus}, zennit's recommended default for CNNs: z-plus on convolutions, epsilon on dense layers),
 * {@code lrp-eps} ({@code epsilon}), {@code lrp-ab} ({@code alpha2-beta1}) and {@code lrp-zplus}
 * ({@code alpha1-beta0}).
 */
public final class Lrp extends LrpMethod {
    /**
     * @param name      registry name
     * @param composite a name of {@link Composites#NAMES}
     */
    public Lrp(String name, String composite) {
        super(name, composite);
    }

    @Override
    protected Seed seed(int[] targets) {
        return Seed.targetLogit(targets);
    }
}
