package io.ucag.explain;

import io.ucag.models.Model;
import io.ucag.models.relevance.Composite;
import io.ucag.models.relevance.Composites;
import io.ucag.models.relevance.Relevance;
import io.ucag.models.relevance.RelevancePass;
import io.ucag.models.relevance.Seed;
import io.ucag.runtime.AlignedPlanes;
import io.ucag.runtime.FastConvolutions;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import java.util.Collection;
import java.util.List;

/**
 * What the LRP methods share: a registry name, a named composite of rules (checked against {@link Composites}),
 * one relevance pass from a method-specific {@link #seed}, and the map as the channel sum of the input relevance
 * (N,1,H,W), signed and raw.
 */
public abstract class LrpMethod implements RelevanceExplainer {
    private final String name;
    private final String composite;

    /**
     * @param name      registry name
     * @param composite a name of {@link Composites#NAMES}
     */
    protected LrpMethod(String name, String composite) {
        if (!Composites.NAMES.contains(composite)) {
            throw new IllegalArgumentException("unknown LRP composite '" + composite + "'; choose one of "
                    + Composites.NAMES);
        }
        this.name = name;
        this.composite = composite;
    }

    /** The relevance put on the logits (N, classes) to start the pass. */
    protected abstract Seed seed(int[] targets);

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String composite() {
        return composite;
    }

    @Override
    public Relevance relevance(Model model, Tensor images, int[] targets, Collection<String> layers) {
        InputGradients.checkTargets(name, images, targets);
        Composite rules = compositeFor(model);
        // z-plus and alpha-beta convolutions do not notice a fast convolution's rounding (Composite's measurement);
        // padded planes change no value and paid here despite the copies the element-wise rules make of them
        // (LRP alpha1-beta0 + UCAG, four alternating pairs: 11.3 -> 10.8 s on average)
        try (FastConvolutions fast = rules.signDefiniteConvolutions() ? FastConvolutions.allow() : null;
             AlignedPlanes aligned = AlignedPlanes.allow()) {
            return RelevancePass.run(model, images, seed(targets), rules, layers);
        }
    }

    @Override
    public Explanation explain(Model model, Tensor images, int[] targets) {
        try (TensorScope scope = TensorScope.open(); Relevance r = relevance(model, images, targets, List.of())) {
            Tensor map = RelevanceExplainer.channelSum(model.device(), r.input());
            return new Explanation(scope.keep(map), scope.keep(r.logits().reshape(r.logits().shape())));
        }
    }
}
