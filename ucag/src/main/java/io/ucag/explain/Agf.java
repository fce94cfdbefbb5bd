package io.ucag.explain;

import io.ucag.explain.relative.AgfPropagation;
import io.ucag.explain.relative.AgfSeed;
import io.ucag.explain.relative.ObservableExplainer;
import io.ucag.explain.relative.RelevanceObserver;
import io.ucag.explain.relative.Step;
import io.ucag.explain.relative.TracedForward;
import io.ucag.models.ActivationHook;
import io.ucag.models.Model;
import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.ops.ReduceOp;
import java.util.ArrayList;
import java.util.List;

/**
 * Attribution Guided Factorization (Gur, Ali and Wolf, "Visualization of Supervised and Self-Supervised Neural
 * Networks via Attribution Guided Factorization", AAAI 2021; the authors' code: github.com/shirgur/AGFVisualization)
 * for a classifier: gradients x activations and relevance combined layer by layer ({@link AgfPropagation}). The
 * seed is the gradient x input at the last linear layer of the target's "salient" probability ({@link AgfSeed});
 * gradient and attribution then go down together. Items are explained one at a time (the factorisation is per
 * image). The map (N,1,H,W) is the input attribution summed over the colour channels, raw and signed: the code's
 * final division by the map's maximum is left to the display.
 */
public final class Agf implements ObservableExplainer {
    @Override
    public String name() {
        return "agf";
    }

    @Override
    public Explanation explain(Model model, Tensor images, int[] targets, RelevanceObserver observer) {
        InputGradients.checkTargets(name(), images, targets);
        Device d = model.device();
        try (TensorScope scope = TensorScope.open()) {
            List<Tensor> maps = new ArrayList<>();
            List<Tensor> logits = new ArrayList<>();
            for (int n = 0; n < targets.length; n++) {
                try (TensorScope item = TensorScope.open()) {
                    Tensor[] result = explainOne(model, d.slice(images, 0, n, 1), targets[n], observer);
                    maps.add(item.keep(result[0]));
                    logits.add(item.keep(result[1]));
                }
                d.synchronize(); // one item in flight at a time bounds a queued device's memory
            }
            Tensor map = maps.size() == 1 ? maps.get(0) : d.concat(maps, 0);
            Tensor logit = logits.size() == 1 ? logits.get(0) : d.concat(logits, 0);
            return new Explanation(scope.keep(map), scope.keep(logit));
        }
    }

    private Tensor[] explainOne(Model model, Tensor image, int target, RelevanceObserver observer) {
        Device d = model.device();
        TracedForward.Trace trace = TracedForward.run(model, d, image, ActivationHook.NONE);
        List<Step> steps = trace.steps();
        if (!(steps.get(steps.size() - 1) instanceof Step.Weighted top) || !top.linear()) {
            throw new IllegalArgumentException("agf: " + model.spec().architecture() + " must end in a linear layer "
                    + "(the classifier AGF starts from)");
        }
        float[] logits = trace.logits().toArray();
        if (target < 0 || target >= logits.length) {
            throw new IllegalArgumentException("target class " + target + " is outside 0.." + (logits.length - 1));
        }
        Tensor seed = d.fromArray(Shape.of(1, logits.length), AgfSeed.gradient(logits, target));
        Shape in = top.inputShape();
        Tensor gradient = d.matmul(seed, d.reshape(top.weight(), Shape.of(logits.length, in.dim(1))), false, false);
        Tensor relevance = d.mul(d.reshape(top.input(), in), gradient);
        observer.onRelevance(top.name(), relevance);
        Tensor input = new AgfPropagation(d, model.spec().preprocessing(), observer)
                .backward(steps, steps.size() - 1, relevance, gradient);
        return new Tensor[] {d.reduce(input, ReduceOp.SUM, new int[] {1}, true),
            d.reshape(trace.logits(), trace.logits().shape())};
    }
}
