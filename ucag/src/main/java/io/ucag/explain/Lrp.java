package io.ucag.explain;

import io.ucag.models.Model;
import io.ucag.models.relevance.Composites;
import io.ucag.models.relevance.Relevance;
import io.ucag.models.relevance.RelevancePass;
import io.ucag.models.relevance.Seed;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import java.util.Collection;
import java.util.List;

/**
 * Layer-wise relevance propagation (Bach et al., PLoS ONE 2015) with a named composite of rules (Montavon et al.
 * 2019; zennit's composites, see {@link Composites}), seeded with the target logit (pre-softmax), so that the map
 * sums to the logit up to what biases and stabilisers absorb. Registered as {@code lrp} (composite
 * {@code epsilon-plus}, zennit's recommended default for CNNs: z-plus on convolutions, epsilon on dense layers),
 * {@code lrp-eps} ({@code epsilon}), {@code lrp-ab} ({@code alpha2-beta1}) and {@code lrp-zplus}
 * ({@code alpha1-beta0}).
 */
public final class Lrp implements RelevanceExplainer {
    private final String name;
    private final String composite;

    /**
     * @param name      registry name
     * @param composite a name of {@link Composites#NAMES}
     */
    public Lrp(String name, String composite) {
        if (!Composites.NAMES.contains(composite)) {
            throw new IllegalArgumentException("unknown LRP composite '" + composite + "'; choose one of "
                    + Composites.NAMES);
        }
        this.name = name;
        this.composite = composite;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String composite() {
        return composite;
    }

    @Override
    public Relevance relevance(Model model, Tensor images, int[] targets, Collection<String> layers) {
        InputGradients.checkTargets(name, images, targets);
        return RelevancePass.run(model, images, Seed.targetLogit(targets), compositeFor(model), layers);
    }

    @Override
    public Explanation explain(Model model, Tensor images, int[] targets) {
        try (TensorScope scope = TensorScope.open(); Relevance r = relevance(model, images, targets, List.of())) {
            Tensor map = RelevanceExplainer.channelSum(model.device(), r.input());
            return new Explanation(scope.keep(map), scope.keep(r.logits().reshape(r.logits().shape())));
        }
    }
}
