package io.ucag.explain;

import io.ucag.explain.relative.Propagation;
import io.ucag.explain.relative.RapRule;
import io.ucag.explain.relative.RapSeed;
import io.ucag.explain.relative.ObservableExplainer;
import io.ucag.explain.relative.RelevanceObserver;
import io.ucag.explain.relative.Step;
import io.ucag.explain.relative.TracedForward;
import io.ucag.models.ActivationHook;
import io.ucag.models.Model;
import io.ucag.runtime.Device;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.ops.ReduceOp;
import java.util.List;

/**
 * Relative Attributing Propagation (Nam, Gur, Choi, Wolf and Lee, AAAI 2020; the authors' code:
 * github.com/wjNam/Relative_Attributing_Propagation). Bipolar relevance: relevant (positive) and irrelevant
 * (negative) attributions, conserved layer by layer, so that the map of each item sums to its target logit.
 * <ul>
 *   <li>seed at the last linear layer: the logit shared by the magnitude of each input's contribution
 *       ({@link RapSeed});</li>
 *   <li>every other convolution or linear layer, BatchNorm folded in: the bipolar rule with the uniform shift
 *       ({@link RapRule}); the first one, on the image, the z^B rule with the preprocessing's pixel bounds
 *       ({@link io.ucag.explain.relative.ZBox});</li>
 *   <li>ReLU and Dropout: relevance unchanged; max pooling: to each window's maximum; average pooling: in
 *       proportion to the inputs (z-rule), as the authors' code does;</li>
 *   <li>residual sums: in proportion to the magnitude of each branch ({@link Propagation#BY_MAGNITUDE}). The authors'
 *       code uses the signed z-rule, which is unbounded where the branches nearly cancel: on resnet50-keras that
 *       amplified float rounding until the Java and OpenCL maps differed by 10% of their maximum; the magnitude
 *       split keeps every share in [0,1] and still conserves relevance.</li>
 * </ul>
 * The map (N,1,H,W) is the input relevance summed over the colour channels, raw and signed.
 */
public final class Rap implements ObservableExplainer {
    @Override
    public String name() {
        return "rap";
    }

    @Override
    public Explanation explain(Model model, Tensor images, int[] targets, RelevanceObserver observer) {
        InputGradients.checkTargets(name(), images, targets);
        Device d = model.device();
        try (TensorScope scope = TensorScope.open()) {
            TracedForward.Trace trace = TracedForward.run(model, d, images, ActivationHook.NONE);
            List<Step> steps = trace.steps();
            if (!(steps.get(steps.size() - 1) instanceof Step.Weighted top) || !top.linear()) {
                throw new IllegalArgumentException("rap: " + model.spec().architecture() + " must end in a linear "
                        + "layer (the classifier RAP starts from)");
            }
            Tensor seed = RapSeed.seed(d, top, trace.logits(), targets);
            observer.onRelevance(top.name(), seed);
            Propagation propagation = new Propagation(d, new RapRule(model.spec().preprocessing()),
                    Propagation.BY_MAGNITUDE, observer);
            Tensor input = propagation.backward(steps, steps.size() - 1, seed);
            Tensor map = d.reduce(input, ReduceOp.SUM, new int[] {1}, true);
            return new Explanation(scope.keep(map), scope.keep(trace.logits()));
        }
    }
}
