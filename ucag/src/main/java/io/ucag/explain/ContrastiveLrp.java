package io.ucag.explain;

import io.ucag.models.Model;
import io.ucag.models.relevance.Composites;
import io.ucag.models.relevance.Relevance;
import io.ucag.models.relevance.RelevancePass;
import io.ucag.models.relevance.Seed;
import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.ops.ReduceOp;
import io.ucag.runtime.relevance.Stabilizer;
import java.util.List;

/**
 * Contrastive LRP, c*LRP (Gu, Yang and Tresp, "Understanding Individual Decisions of CNNs via Contrastive
 * Backpropagation", ACCV 2018; CLRP1 of the authors' code): the target map {@code R_t} (LRP seeded with the target
 * logit) minus the map {@code R_o} of all other classes (LRP seeded with {@code |z_k|} on every class k != t), the
 * latter normalised to the target's total: {@code R_t - R_o * sum(R_t) / sum(R_o)}. This is the authors'
 * {@code R_t / sum(R_t) - R_o / sum(R_o)} scaled back by {@code sum(R_t)}, so the map keeps relevance units; it sums
 * to zero by construction. Two relevance passes per image. Signed and raw (the paper shows its positive part).
 */
public final class ContrastiveLrp extends LrpMethod {
    /** @param composite a name of {@link Composites#NAMES} */
    public ContrastiveLrp(String composite) {
        super("clrp", composite);
    }

    /** The target-class pass (the contrast is formed on the input maps only). */
    @Override
    protected Seed seed(int[] targets) {
        return Seed.targetLogit(targets);
    }

    @Override
    public Explanation explain(Model model, Tensor images, int[] targets) {
        Device d = model.device();
        try (TensorScope scope = TensorScope.open();
             Relevance target = relevance(model, images, targets, List.of());
             Relevance others = RelevancePass.run(model, images, otherClasses(targets), compositeFor(model))) {
            Tensor mapT = RelevanceExplainer.channelSum(d, target.input());
            Tensor mapO = RelevanceExplainer.channelSum(d, others.input());
            int[] spatial = {1, 2, 3};
            Tensor ratio = Stabilizer.divide(d, d.reduce(mapT, ReduceOp.SUM, spatial, true),
                    d.reduce(mapO, ReduceOp.SUM, spatial, true), Stabilizer.DEFAULT_EPSILON); // (N,1,1,1)
            Tensor map = d.add(mapT, d.scale(d.mul(mapO, ratio), -1f));
            return new Explanation(scope.keep(map), scope.keep(target.logits().reshape(target.logits().shape())));
        }
    }

    /** |z_k| on every class but the target, 0 on the target (Gu et al.'s CLRP1 contrast). */
    static Seed otherClasses(int[] targets) {
        return (d, logits) -> {
            try (TensorScope scope = TensorScope.open()) {
                Tensor others = d.add(Seed.oneHot(d, targets, logits.shape().dim(1)), d.fromArray(Shape.of(1),
                        new float[] {-1f})); // 0 on the target, -1 elsewhere
                return scope.keep(d.mul(d.abs(logits), d.abs(others)));
            }
        };
    }
}
