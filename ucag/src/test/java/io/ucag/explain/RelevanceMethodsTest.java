package io.ucag.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.models.Model;
import io.ucag.models.relevance.Composites;
import io.ucag.models.relevance.Relevance;
import io.ucag.models.relevance.RelevancePass;
import io.ucag.models.relevance.Seed;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.java.JavaDevice;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The relevance explainers on the BatchNorm fixture CNN (Java device): c*LRP and SGLRP against their definitions
 * computed on the host from plain relevance passes, the registry and composites, and LRP inside UCAG.
 */
class RelevanceMethodsTest {
    private static final int SIDE = 12;
    private static final int CLASSES = 5;
    private static JavaDevice device;
    private static Model model;

    @BeforeAll
    static void open() {
        device = new JavaDevice(2);
        model = MethodGolden.load().model(device);
    }

    @AfterAll
    static void close() {
        model.close();
        device.close();
    }

    private static float[] images(long seed, int count) {
        return TinyModels.randomImages(new Random(seed), count, SIDE);
    }

    private static Tensor upload(float[] images) {
        return device.fromArray(Shape.of(images.length / (3 * SIDE * SIDE), 3, SIDE, SIDE), images);
    }

    private static float[] map(Explainer e, float[] images, int... targets) {
        try (TensorScope scope = TensorScope.open(); Explanation x = e.explain(model, upload(images), targets)) {
            return x.maps().toArray();
        }
    }

    /** The channel-summed input relevance (N*H*W) of a pass seeded with fixed values. */
    private static float[] seeded(float[] images, float[] seed) {
        try (TensorScope scope = TensorScope.open();
             Relevance r = RelevancePass.run(model, upload(images), Seed.constant(seed),
                     Composites.create("epsilon-plus", model.spec().preprocessing()))) {
            return RelevanceExplainer.channelSum(device, r.input()).toArray();
        }
    }

    private static float[] logits(float[] images) {
        try (TensorScope scope = TensorScope.open()) {
            return model.forward(upload(images)).toArray();
        }
    }

    private static void assertClose(float[] expected, float[] actual, double tol, String what) {
        double scale = 0;
        for (float v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tol * scale, what + " at " + i);
        }
    }

    @Test
    void sglrpIsLrpSeededWithTheSoftmaxGradient() {
        float[] x = images(1, 2);
        int[] targets = {2, 4};
        float[] z = logits(x);
        float[] seed = new float[z.length];
        for (int n = 0; n < 2; n++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < CLASSES; k++) {
                max = Math.max(max, z[n * CLASSES + k]);
            }
            double[] p = new double[CLASSES];
            double total = 0;
            for (int k = 0; k < CLASSES; k++) {
                p[k] = Math.exp(z[n * CLASSES + k] - max);
                total += p[k];
            }
            double pt = p[targets[n]] / total;
            for (int k = 0; k < CLASSES; k++) {
                double pk = p[k] / total;
                seed[n * CLASSES + k] = (float) (k == targets[n] ? pt * (1 - pt) : -pt * pk);
            }
        }
        float[] expected = seeded(x, seed);
        float[] actual = map(Methods.create("sglrp", null), x, targets);
        assertClose(expected, actual, 1e-5, "sglrp");
        float[] contrastive = map(Methods.create("clrp", null), x, targets);
        double diff = 0;
        for (int i = 0; i < actual.length; i++) {
            diff = Math.max(diff, Math.abs(actual[i] / sumAbs(actual) - contrastive[i] / sumAbs(contrastive)));
        }
        assertTrue(diff > 1e-3, "SGLRP is not c*LRP: normalised maps differ by " + diff);
    }

    private static double sumAbs(float[] v) {
        double s = 0;
        for (float f : v) {
            s += Math.abs(f);
        }
        return s;
    }

    @Test
    void clrpIsTheTargetMapMinusTheNormalisedMapOfTheOtherClasses() {
        float[] x = images(2, 2);
        int[] targets = {0, 3};
        float[] z = logits(x);
        float[] targetSeed = new float[z.length];
        float[] otherSeed = new float[z.length];
        for (int n = 0; n < 2; n++) {
            for (int k = 0; k < CLASSES; k++) {
                int i = n * CLASSES + k;
                if (k == targets[n]) {
                    targetSeed[i] = z[i];
                } else {
                    otherSeed[i] = Math.abs(z[i]);
                }
            }
        }
        float[] mapT = seeded(x, targetSeed);
        float[] mapO = seeded(x, otherSeed);
        int plane = SIDE * SIDE;
        float[] expected = new float[mapT.length];
        for (int n = 0; n < 2; n++) {
            double sumT = 0;
            double sumO = 0;
            for (int i = n * plane; i < (n + 1) * plane; i++) {
                sumT += mapT[i];
                sumO += mapO[i];
            }
            for (int i = n * plane; i < (n + 1) * plane; i++) {
                expected[i] = (float) (mapT[i] - mapO[i] * sumT / sumO);
            }
        }
        float[] actual = map(Methods.create("clrp", null), x, targets);
        assertClose(expected, actual, 1e-4, "clrp");
        for (int n = 0; n < 2; n++) {
            double sum = 0;
            double abs = 0;
            for (int i = n * plane; i < (n + 1) * plane; i++) {
                sum += actual[i];
                abs += Math.abs(actual[i]);
            }
            assertEquals(0, sum, 1e-4 * abs, "a c*LRP map sums to zero");
        }
    }

    @Test
    void lrpMapsSumTheChannelsOfTheInputRelevance() {
        float[] x = images(3, 1);
        float[] targetSeed = new float[CLASSES];
        targetSeed[1] = logits(x)[1];
        assertClose(seeded(x, targetSeed), map(Methods.create("lrp", null), x, 1), 1e-6, "lrp (epsilon-plus)");
        Explainer ab = Methods.create("lrp", null, "alpha2-beta1");
        assertEquals("alpha2-beta1", ((RelevanceExplainer) ab).composite());
        assertEquals("alpha2-beta1", ((RelevanceExplainer) Methods.create("lrp-ab", null)).composite());
        assertEquals("alpha1-beta0", ((RelevanceExplainer) Methods.create("lrp-zplus", null)).composite());
        assertEquals("epsilon", ((RelevanceExplainer) Methods.create("lrp-eps", null)).composite());
    }

    @Test
    void badCompositesAreOneClearError() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Methods.create("lrp", null, "epsilon-minus"));
        assertTrue(unknown.getMessage().contains("epsilon-gamma-box"), unknown.getMessage());
        IllegalArgumentException notRelevance = assertThrows(IllegalArgumentException.class,
                () -> Methods.create("gradcam", null, "epsilon-plus"));
        assertTrue(notRelevance.getMessage().contains("--composite"), notRelevance.getMessage());
    }

    @Test
    void ucagKeepsRelevanceMapsSignedAndRaw() {
        float[] x = images(4, 1);
        UcagOptions identity = new UcagOptions(1, 1.0, 0, 1.0, 4, false, UcagOptions.Fold.STANDARD);
        for (String name : Methods.RELEVANCE) {
            Explainer base = Methods.create(name, null);
            Ucag ucag = new Ucag(base, identity);
            assertTrue(ucag.signed(), name);
            float[] plain = map(base, x, 2);
            // one patch covering the whole image, no resize, no weighting: UCAG returns the base map unchanged
            assertClose(plain, map(ucag, x, 2), 1e-5, "UCAG-" + name);
            boolean negative = false;
            for (float v : plain) {
                negative |= v < 0;
            }
            assertTrue(negative || name.equals("lrp-zplus"), name + " maps keep their negative values");
        }
        UcagOptions options = new UcagOptions(3, 0.6, 0, 1.5, 4, true, UcagOptions.Fold.STANDARD);
        float[] folded = map(new Ucag(Methods.create("lrp-ab", null), options), x, 2);
        assertArrayEquals(new int[] {SIDE * SIDE}, new int[] {folded.length});
        for (float v : folded) {
            assertTrue(Float.isFinite(v));
        }
    }
}
