package io.ucag.explain;

import io.ucag.explain.relative.Propagation;
import io.ucag.explain.relative.ObservableExplainer;
import io.ucag.explain.relative.RelevanceObserver;
import io.ucag.explain.relative.RspRule;
import io.ucag.explain.relative.TracedForward;
import io.ucag.models.Model;
import io.ucag.runtime.Device;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.autograd.Gradients;
import io.ucag.runtime.autograd.Tape;
import io.ucag.runtime.ops.ReduceOp;
import java.util.ArrayList;
import java.util.List;

/**
 * Relative Sectional Propagation (Nam, Choi and Lee, AAAI 2021, arXiv 2012.03434; the authors' code:
 * github.com/wjNam/Relative_Sectional_Propagation), as its released code runs it:
 * <ul>
 *   <li>seed at the CAM layer (the model's default, e.g. {@code layer4}; or the one given): Grad-CAM's channel
 *       contributions without the channel sum, {@code A_c * mean_hw(dy/dA_c)} (N,C,h,w), divided by their largest
 *       magnitude per item (the code divides by the largest value, which flips every sign when all are negative);
 *       the layers above it take no part;</li>
 *   <li>convolutions below it, BatchNorm folded in (which leaves RSP unchanged: it uses the weights' shape only):
 *       the sectional rule ({@link RspRule}); the first one, on the image, the z^B rule with the preprocessing's pixel
 *       bounds;</li>
 *   <li>ReLU: unchanged; pooling: z-rule; residual sums: by the positive part of each branch, as the code does.</li>
 * </ul>
 * Relevance is conserved from the seed down: each item's map sums to the sum of its seed. Not reproduced: the
 * code's {@code relative_GAM} (a seed contrasting the target with other classes), which its main program does not
 * call. Items are explained one at a time (RSP's sectional weights are per image). Map (N,1,H,W), raw and signed.
 */
public final class Rsp implements ObservableExplainer {
    private final String layer; // null: the model's default CAM layer

    public Rsp(String layer) {
        this.layer = layer;
    }

    @Override
    public String name() {
        return "rsp";
    }

    @Override
    public Explanation explain(Model model, Tensor images, int[] targets, RelevanceObserver observer) {
        InputGradients.checkTargets(name(), images, targets);
        String start = layer != null ? layer : model.spec().defaultCamLayer();
        model.layer(start); // fails early, naming valid choices
        Device d = model.device();
        try (TensorScope scope = TensorScope.open()) {
            List<Tensor> maps = new ArrayList<>();
            List<Tensor> logits = new ArrayList<>();
            for (int n = 0; n < targets.length; n++) {
                try (TensorScope item = TensorScope.open()) {
                    Tensor[] result = explainOne(model, d.slice(images, 0, n, 1), targets[n], start, observer);
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

    private Tensor[] explainOne(Model model, Tensor image, int target, String start, RelevanceObserver observer) {
        Device d = model.device();
        Tensor[] watched = new Tensor[1];
        try (Tape tape = new Tape()) {
            TracedForward.Trace trace = TracedForward.run(model, tape.on(d), image, (name, output) -> {
                if (name.equals(start)) { // a module called several times (a shared ReLU): the last call counts
                    watched[0] = tape.watch(output);
                }
            });
            int boundary = trace.boundary(start);
            Tensor seed = Targets.oneHot(d, new int[] {target}, trace.logits().shape().dim(1));
            Tensor activation = watched[0];
            Tensor gradient;
            try (Gradients g = tape.backward(trace.logits(), seed)) {
                gradient = g.of(activation).reshape(activation.shape()); // outlives the Gradients
            }
            Tensor contributions = d.mul(activation, d.reduce(gradient, ReduceOp.MEAN, new int[] {2, 3}, true));
            Tensor largest = d.reduce(d.abs(contributions), ReduceOp.MAX, new int[] {1, 2, 3}, true);
            Tensor r = io.ucag.explain.relative.Stabilized.divideNonNegative(d, contributions, largest);
            observer.onRelevance(start, r);
            Propagation propagation = new Propagation(d, new RspRule(model.spec().preprocessing()),
                    Propagation.BY_POSITIVE_PART, observer);
            Tensor input = propagation.backward(trace.steps(), boundary, r);
            return new Tensor[] {d.reduce(input, ReduceOp.SUM, new int[] {1}, true),
                d.reshape(trace.logits(), trace.logits().shape())};
        }
    }
}
