package io.ucag.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.models.Model;
import io.ucag.models.ModelSpec;
import io.ucag.models.Parameters;
import io.ucag.models.Preprocessing;
import io.ucag.models.layers.Layer;
import io.ucag.models.layers.Layers;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.java.JavaDevice;
import io.ucag.runtime.ops.Conv2dParams;
import io.ucag.runtime.ops.ResizeMode;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Properties of ScoreCAM, FullGrad and the gradient family on small seeded models (Java device): identities from
 * the papers (IG completeness, FullGrad's full-gradient decomposition), agreement between methods where they must
 * agree, micro-batch invariance, and the registry.
 */
class MethodPropertiesTest {
    private static final int SIDE = 12;
    private static JavaDevice device;
    private static Model tiny;
    private static Model withBatchNorm;

    @BeforeAll
    static void open() {
        device = new JavaDevice(2);
        tiny = TinyModels.load(device, 5);
        withBatchNorm = MethodGolden.load().model(device);
    }

    @AfterAll
    static void close() {
        tiny.close();
        withBatchNorm.close();
        device.close();
    }

    private static float[] images(long seed, int count) {
        return TinyModels.randomImages(new Random(seed), count, SIDE);
    }

    private static Tensor upload(float[] images) {
        return device.fromArray(Shape.of(images.length / (3 * SIDE * SIDE), 3, SIDE, SIDE), images);
    }

    private static float[] map(Explainer e, Model model, float[] images, int... targets) {
        try (TensorScope scope = TensorScope.open(); Explanation x = e.explain(model, upload(images), targets)) {
            return x.maps().toArray();
        }
    }

    /** dy/dx (N,3,H,W) of each item's target logit. */
    private static float[] gradient(Model model, float[] images, int... targets) {
        try (TensorScope scope = TensorScope.open();
             InputGradients.Result r = InputGradients.of(model, upload(images), targets)) {
            return r.gradient().toArray();
        }
    }

    private static float[] logits(Model model, float[] images) {
        try (TensorScope scope = TensorScope.open()) {
            return model.forward(upload(images)).toArray();
        }
    }

    private static void assertClose(String what, float[] expected, float[] actual, double rtol) {
        assertEquals(expected.length, actual.length, what);
        double scale = 0;
        for (float v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], rtol * (Math.abs(expected[i]) + scale * 0.1) + 1e-7,
                    what + ": element " + i);
        }
    }

    private static double sum(float[] values, int item, int perItem) {
        double s = 0;
        for (int i = item * perItem; i < (item + 1) * perItem; i++) {
            s += values[i];
        }
        return s;
    }

    // ---- Integrated Gradients ----------------------------------------------------------------------

    @Test
    void integratedGradientsIsCompleteUpToAnErrorThatShrinksWithTheSteps() {
        float[] x = images(1, 2);
        int[] targets = {2, 4};
        float[] atX = logits(tiny, x);
        float[] atZero = logits(tiny, new float[x.length]);
        double[] errors = new double[3];
        int[] steps = {4, 32, 256};
        for (int s = 0; s < steps.length; s++) {
            float[] ig = map(new IntegratedGradients(steps[s], 64), tiny, x, targets);
            for (int n = 0; n < 2; n++) {
                int k = n * TinyModels.CLASSES + targets[n];
                double expected = atX[k] - atZero[k];
                errors[s] = Math.max(errors[s], Math.abs(sum(ig, n, SIDE * SIDE) - expected) / Math.abs(expected));
            }
        }
        // measured: 12.5 %, 1.9 % and 0.36 % (ReLU kinks along the path make the right sum inexact)
        assertTrue(errors[2] < errors[1] && errors[1] < errors[0], Arrays.toString(errors));
        assertTrue(errors[1] < 0.05 && errors[2] < 0.01, "relative completeness errors " + Arrays.toString(errors));
    }

    /** conv3x3 (bias) -> adaptive average pool 2x2 -> linear: affine in the input. */
    private static Model linearModel() {
        Layer.Sequential root = new Layer.Sequential("", List.of(
                new Layer.Conv2d("conv", 3, 4, 3, 3, Conv2dParams.of(1, 1), true),
                new Layer.AdaptiveAvgPool2d("pool", 2, 2),
                new Layer.Flatten("flatten"),
                new Layer.Linear("fc", 16, TinyModels.CLASSES)));
        return randomModel(new ModelSpec("linear", root, SIDE, Preprocessing.TORCHVISION, TinyModels.CLASSES,
                "conv"), 3);
    }

    @Test
    void onANetworkLinearInItsInputIntegratedGradientsEqualsInputTimesGradientAndIsExact() {
        try (Model linear = linearModel()) {
            float[] x = images(2, 2);
            int[] targets = {0, 3};
            float[] ixg = map(new InputXGradient(), linear, x, targets);
            float[] ig = map(new IntegratedGradients(3, 2), linear, x, targets);
            assertClose("IG vs input x gradient", ixg, ig, 1e-5);
            float[] atX = logits(linear, x);
            float[] atZero = logits(linear, new float[x.length]);
            for (int n = 0; n < 2; n++) {
                int k = n * TinyModels.CLASSES + targets[n];
                assertEquals(atX[k] - atZero[k], sum(ig, n, SIDE * SIDE), 1e-4 * (1 + Math.abs(atX[k])));
            }
        }
    }

    @Test
    void integratedGradientsDoesNotDependOnTheMicroBatch() {
        float[] x = images(3, 2);
        float[] all = map(new IntegratedGradients(9, 18), tiny, x, 1, 1);
        for (int micro : new int[] {1, 4, 7}) {
            assertClose("micro-batch " + micro, all, map(new IntegratedGradients(9, micro), tiny, x, 1, 1), 1e-5);
        }
    }

    // ---- Saliency, Input x Gradient, SmoothGrad ----------------------------------------------------

    @Test
    void saliencyAndInputTimesGradientAreTheirFormulasOfTheInputGradient() {
        float[] x = images(4, 2);
        int[] targets = {3, 0};
        float[] g = gradient(tiny, x, targets);
        float[] saliency = new float[2 * SIDE * SIDE];
        float[] ixg = new float[2 * SIDE * SIDE];
        int plane = SIDE * SIDE;
        for (int n = 0; n < 2; n++) {
            for (int p = 0; p < plane; p++) {
                for (int c = 0; c < 3; c++) {
                    int i = (n * 3 + c) * plane + p;
                    saliency[n * plane + p] = Math.max(saliency[n * plane + p], Math.abs(g[i]));
                    ixg[n * plane + p] += x[i] * g[i];
                }
            }
        }
        assertClose("saliency", saliency, map(new Saliency(), tiny, x, targets), 1e-6);
        assertClose("input x gradient", ixg, map(new InputXGradient(), tiny, x, targets), 1e-5);
    }

    @Test
    void smoothGradWithoutNoiseIsTheChannelSumOfThePlainGradient() {
        float[] x = images(5, 2);
        int[] targets = {1, 2};
        float[] g = gradient(tiny, x, targets);
        int plane = SIDE * SIDE;
        float[] expected = new float[2 * plane];
        for (int n = 0; n < 2; n++) {
            for (int c = 0; c < 3; c++) {
                for (int p = 0; p < plane; p++) {
                    expected[n * plane + p] += g[(n * 3 + c) * plane + p];
                }
            }
        }
        assertClose("sigma 0", expected, map(new SmoothGrad(5, 0, 1, 3), tiny, x, targets), 1e-5);
    }

    @Test
    void smoothGradIsSeededAndIndependentOfTheMicroBatch() {
        float[] x = images(6, 2);
        float[] reference = map(new SmoothGrad(7, 0.15, 42, 14), tiny, x, 0, 3);
        assertClose("micro-batch 1", reference, map(new SmoothGrad(7, 0.15, 42, 1), tiny, x, 0, 3), 1e-5);
        assertClose("micro-batch 5", reference, map(new SmoothGrad(7, 0.15, 42, 5), tiny, x, 0, 3), 1e-5);
        float[] otherSeed = map(new SmoothGrad(7, 0.15, 43, 14), tiny, x, 0, 3);
        assertNotEquals(Arrays.toString(reference), Arrays.toString(otherSeed));
        float[] plain = map(new SmoothGrad(7, 0, 42, 14), tiny, x, 0, 3);
        assertNotEquals(Arrays.toString(reference), Arrays.toString(plain));
    }

    // ---- Score-CAM ---------------------------------------------------------------------------------

    @Test
    void scoreCamWeightsAreProbabilitiesAndTheMapIsTheirSumOfActivations() {
        float[] x = images(7, 2);
        int[] targets = {4, 1};
        String layer = "features.3";
        try (TensorScope scope = TensorScope.open()) {
            Tensor input = upload(x);
            float[] w = new ScoreCam(layer, 3, ScoreCam.Scores.PROBABILITY).channelWeights(tiny, input, targets)
                    .toArray();
            assertEquals(2 * 8, w.length);
            for (float v : w) {
                assertTrue(v >= 0 && v <= 1, "weight " + v);
            }
            float[] softmaxed = new ScoreCam(layer, 8, ScoreCam.Scores.CHANNEL_SOFTMAX).channelWeights(tiny, input,
                    targets).toArray();
            assertEquals(1.0, sum(softmaxed, 0, 8), 1e-5);
            assertEquals(1.0, sum(softmaxed, 1, 8), 1e-5);

            // one weight by hand: the target probability of the input masked by channel 5 of item 1
            float[] expected = new float[2 * SIDE * SIDE];
            try (LayerActivations a = LayerActivations.capture(tiny, layer, input)) {
                Tensor channel = device.slice(device.slice(a.activations(), 0, 1, 1), 1, 5, 1);
                float[] mask = device.resize(channel, SIDE, SIDE, ResizeMode.BILINEAR).toArray();
                double lo = Double.MAX_VALUE;
                double hi = -Double.MAX_VALUE;
                for (float v : mask) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
                float[] masked = new float[3 * SIDE * SIDE];
                for (int i = 0; i < masked.length; i++) {
                    masked[i] = (float) (x[3 * SIDE * SIDE + i] * ((mask[i % (SIDE * SIDE)] - lo) / (hi - lo + 1e-8)));
                }
                float[] p = device.softmax(tiny.forward(upload(masked)), 1).toArray();
                assertEquals(p[targets[1]], w[8 + 5], 1e-5);

                // the map: sum_c w_c A_c at feature resolution, upsampled
                Tensor weights = device.fromArray(Shape.of(2, 8, 1, 1), w);
                Tensor cam = device.reduce(device.mul(a.activations(), weights), io.ucag.runtime.ops.ReduceOp.SUM,
                        new int[] {1}, true);
                expected = device.resize(cam, SIDE, SIDE, ResizeMode.BILINEAR).toArray();
            }
            assertClose("score-cam map", expected,
                    map(new ScoreCam(layer, 5, ScoreCam.Scores.PROBABILITY), tiny, x, targets), 1e-5);
        }
    }

    // ---- FullGrad ----------------------------------------------------------------------------------

    @Test
    void fullGradientsDecomposeTheTargetLogit() {
        // Srinivas and Fleuret, Eq. 5: for ReLU nets, y = sum(x dy/dx) + sum over biased layers of sum(b dy/dz).
        for (Model model : new Model[] {tiny, withBatchNorm}) {
            float[] x = images(8, 3);
            int[] targets = {0, 2, 4};
            FullGrad.Decomposition d;
            try (TensorScope scope = TensorScope.open()) {
                d = new FullGrad().decompose(model, upload(x), targets);
            }
            for (int n = 0; n < 3; n++) {
                double whole = d.input()[n] + d.biases()[n];
                assertEquals(d.logit()[n], whole, 1e-4 * (1 + Math.abs(d.logit()[n])),
                        model.spec().architecture() + " item " + n + ": " + d.input()[n] + " + " + d.biases()[n]);
                assertTrue(Math.abs(d.biases()[n]) > 1e-3, "the bias part is not trivially zero");
            }
        }
    }

    @Test
    void fullGradMapsAreSumsOfNormalisedNonNegativeTerms() {
        // input term: 3 channels, biased layers of the BN net: conv 6 + BN 6 + conv 8 channels, each in [0,1]
        float[] m = map(new FullGrad(), withBatchNorm, images(9, 2), 1, 3);
        int terms = 3 + 6 + 6 + 8;
        for (float v : m) {
            assertTrue(v >= 0 && v <= terms + 1e-4, "value " + v);
        }
        double max = 0;
        for (float v : m) {
            max = Math.max(max, v);
        }
        assertTrue(max > 1, "the terms add up: max " + max);
    }

    // ---- all methods -------------------------------------------------------------------------------

    @Test
    void everyRegisteredMethodExplainsEachItemOfABatchAsIfAlone() {
        float[] x = images(10, 2);
        int[] targets = {3, 1};
        int plane = SIDE * SIDE;
        for (String name : Methods.NAMES) {
            Explainer e = Methods.create(name, null);
            assertEquals(name, e.name());
            float[] both = map(e, tiny, x, targets);
            assertEquals(2 * plane, both.length, name);
            for (float v : both) {
                assertTrue(Float.isFinite(v), name + " gives " + v);
            }
            if (name.equals("smoothgrad")) {
                continue; // the noise of item 1 depends on its position in the batch
            }
            float[] second = map(e, tiny, Arrays.copyOfRange(x, 3 * plane, 6 * plane), targets[1]);
            assertClose(name + " item 1 alone", Arrays.copyOfRange(both, plane, 2 * plane), second, 1e-5);
        }
    }

    @Test
    void onlyTheGradientFamilyBesidesSaliencyAndTheRelevanceFamilyAreSigned() {
        for (String name : Methods.NAMES) {
            boolean signed = List.of("inputxgradient", "smoothgrad", "integratedgradients").contains(name)
                    || Methods.RELEVANCE.contains(name) || List.of("rap", "rsp", "agf").contains(name);
            assertEquals(signed, Methods.create(name, null).signed(), name);
        }
    }

    @Test
    void badRequestsNameTheMethod() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Methods.create("gradfoo", null));
        assertTrue(unknown.getMessage().contains("integratedgradients"), unknown.getMessage());
        for (Explainer e : new Explainer[] {new ScoreCam(null), new FullGrad(), new Saliency(), new SmoothGrad(),
                new IntegratedGradients()}) {
            try (TensorScope scope = TensorScope.open()) {
                Tensor input = upload(images(11, 2));
                IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                        () -> e.explain(tiny, input, new int[] {1}));
                assertTrue(count.getMessage().startsWith(e.name() + ": 1 targets for a batch of 2"),
                        count.getMessage());
                IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                        () -> e.explain(tiny, input, new int[] {0, TinyModels.CLASSES}));
                assertTrue(range.getMessage().contains("outside"), range.getMessage());
            }
        }
        IllegalArgumentException layer = assertThrows(IllegalArgumentException.class,
                () -> map(new ScoreCam("nope"), tiny, images(12, 1), 0));
        assertTrue(layer.getMessage().contains("nope"), layer.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SmoothGrad(0, 0.15, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new IntegratedGradients(8, 0));
        assertThrows(IllegalArgumentException.class, () -> new ScoreCam(null, 0, ScoreCam.Scores.PROBABILITY));
    }

    private static Model randomModel(ModelSpec spec, long seed) {
        return TinyModels.load(spec, device, seed);
    }

    @Test
    void mapsHaveTheInputResolution() {
        try (TensorScope scope = TensorScope.open()) {
            float[] values = new float[3 * 10 * 14];
            Random rng = new Random(13);
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) rng.nextGaussian();
            }
            Tensor input = device.fromArray(Shape.of(1, 3, 10, 14), values);
            for (String name : Methods.NAMES) {
                try (Explanation x = Methods.create(name, null).explain(tiny, input, new int[] {0})) {
                    assertArrayEquals(new int[] {1, 1, 10, 14}, x.maps().shape().dims(), name);
                    assertArrayEquals(new int[] {1, TinyModels.CLASSES}, x.logits().shape().dims(), name);
                }
            }
        }
    }
}
