package io.ucag.explain;

import static io.ucag.explain.RelativePhotos.input;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.explain.relative.AgfSeed;
import io.ucag.explain.relative.RelevanceObserver;
import io.ucag.explain.relative.Step;
import io.ucag.explain.relative.TracedForward;
import io.ucag.models.ActivationHook;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties of AGF on the nets of {@link RelativeNets}: its seed is the derivative of the salient probability
 * (finite differences), every layer outside a residual block carries the seed's sum where no bias absorbs relevance
 * (the absolute rule, the pools, z^B and the residual split conserve, and the delta shift keeps the sum), and OpenCL
 * equals Java.
 */
class AgfPropertiesTest extends RelativeNetsProperties {
    /** The salient probability of class t, in double. */
    private static double salient(double[] y, int t) {
        double sigma = 0;
        for (double v : y) {
            sigma = Math.max(sigma, Math.abs(v - y[t]));
        }
        double[] u = new double[y.length];
        double top = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < y.length; k++) {
            double dk = (y[k] - y[t]) / sigma;
            u[k] = y[t] * Math.exp(-0.5 * dk * dk);
            top = Math.max(top, u[k]);
        }
        double total = 0;
        for (double v : u) {
            total += Math.exp(v - top);
        }
        return Math.exp(u[t] - top) / total;
    }

    @Property(tries = 50)
    void theSeedIsTheDerivativeOfTheSalientProbability(@ForAll long seed, @ForAll @IntRange(min = 2, max = 9) int m,
                                                      @ForAll @IntRange(min = 0, max = 1) int targetIsTop) {
        Random rng = new Random(seed);
        float[] logits = new float[m];
        for (int k = 0; k < m; k++) {
            logits[k] = (float) (rng.nextGaussian() * 4);
        }
        int t = targetIsTop == 1 ? Targets.argmax(logits, m)[0] : rng.nextInt(m);
        float[] g = AgfSeed.gradient(logits, t);
        double h = 1e-6;
        for (int j = 0; j < m; j++) {
            double[] plus = new double[m];
            double[] minus = new double[m];
            for (int k = 0; k < m; k++) {
                plus[k] = logits[k];
                minus[k] = logits[k];
            }
            plus[j] += h;
            minus[j] -= h;
            double numeric = (salient(plus, t) - salient(minus, t)) / (2 * h);
            assertEquals(numeric, g[j], 1e-5 + 1e-4 * Math.abs(numeric), "dp/dy_" + j + " of class " + t);
        }
    }

    @Property(tries = 8)
    void everyLayerOutsideResidualBlocksCarriesTheSeedsSum(@ForAll("nets") String net, @ForAll long seed,
                                                           @ForAll @IntRange(min = 0, max = 4) int target) {
        Assume.that(!hasBiasOnlyOutputs(net, seed)); // 1 resnet photo in 199 here; no vgg photo in 201
        Map<String, Double> sums = new LinkedHashMap<>();
        Map<String, Double> magnitudes = new LinkedHashMap<>(); // sum |R|: float rounding scales with it
        RelevanceObserver observer = (layer, relevance) -> {
            double s = 0;
            double a = 0;
            for (float v : relevance.toArray()) {
                s += v;
                a += Math.abs(v);
            }
            sums.putIfAbsent(layer, s);
            magnitudes.putIfAbsent(layer, a);
        };
        double mapSum = 0;
        try (TensorScope scope = TensorScope.open();
             Explanation x = new Agf().explain(nets.model(net), input(device, net, seed, 1), new int[] {target},
                     observer)) {
            for (float v : x.maps().toArray()) {
                mapSum += v;
            }
        }
        String top = net.equals("vgg") ? "classifier.4" : "fc";
        double seedSum = sums.get(top);
        double scale = 0;
        for (double v : magnitudes.values()) {
            scale = Math.max(scale, v);
        }
        List<String> outside = net.equals("vgg")
                ? List.of("classifier.1", "classifier.0", "avgpool", "features.7", "features.4", "features.3",
                        "features.0")
                : List.of("avgpool", "layer2.0", "layer1.0", "maxpool", "conv1");
        for (String layer : outside) {
            assertEquals(seedSum, sums.get(layer), 1e-5 * scale, net + ": at the input of " + layer);
        }
        assertEquals(seedSum, mapSum, 1e-5 * scale, net + ": the map");
    }

    /** The photo that showed the bias absorbing relevance; the property above passes over such photos. */
    @Example
    void aBiasOnlyOutputIsFound() {
        assertTrue(hasBiasOnlyOutputs("resnet", -4998));
        assertFalse(hasBiasOnlyOutputs("resnet", 79));
    }

    @Example
    void openClEqualsJavaOnRandomPhotos() {
        nets.assertOpenClEqualsJava(new Agf(), 79, new int[] {0, 3});
    }

    /**
     * True when some convolution or linear layer (past the image) has an output that no input reaches,
     * {@code sum_i |x_i||w_ij| = 0}: its bias alone makes it, so relevance sent there has nowhere to go and the bias
     * absorbs it, as it does in the authors' code. ("resnet", seed -4998) has such outputs in layer1.0.conv2: a
     * share of -0.027 of the block's relevance disappears there.) Relevance reaches an output only where the
     * activation after it is positive, so pools and residual sums absorb nothing.
     */
    private static boolean hasBiasOnlyOutputs(String net, long seed) {
        try (TensorScope scope = TensorScope.open()) {
            TracedForward.Trace trace = TracedForward.run(nets.model(net), device, input(device, net, seed, 1),
                    ActivationHook.NONE);
            return hasBiasOnlyOutputs(trace.steps());
        }
    }

    private static boolean hasBiasOnlyOutputs(List<Step> steps) {
        for (Step step : steps) {
            if (step instanceof Step.Weighted w && !w.imageInput()) {
                Tensor reach = device.conv2d(device.abs(w.input()), device.abs(w.weight()), null, w.params());
                for (float v : reach.toArray()) {
                    if (v <= 0) {
                        return true;
                    }
                }
            } else if (step instanceof Step.Residual r && (hasBiasOnlyOutputs(r.body())
                    || hasBiasOnlyOutputs(r.shortcut()))) {
                return true;
            }
        }
        return false;
    }
}
