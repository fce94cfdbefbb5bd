package io.ucag.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.models.Model;
import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.java.JavaDevice;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** UCAG's algebraic properties on a small seeded model (Java device). */
class UcagTest {
    private static JavaDevice device;
    private static Model model;

    @BeforeAll
    static void open() {
        device = new JavaDevice(2);
        model = TinyModels.load(device, 11);
    }

    @AfterAll
    static void close() {
        model.close();
        device.close();
    }

    private static float[] explain(Explainer e, float[] images, int count, int side, int[] targets) {
        try (TensorScope scope = TensorScope.open();
             Explanation x = e.explain(model, device.fromArray(Shape.of(count, 3, side, side), images), targets)) {
            return x.maps().toArray();
        }
    }

    private static void assertClose(float[] expected, float[] actual, double tolerance) {
        assertEquals(expected.length, actual.length);
        double scale = 0;
        for (float v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tolerance * Math.max(1, scale), "element " + i);
        }
    }

    @Test
    void oneFullPatchAtScaleOneWithoutWeightingIsTheBaseMethod() {
        float[] images = TinyModels.randomImages(new Random(1), 2, 32);
        int[] targets = {1, 3};
        Explainer gradcam = new GradCam(null);
        UcagOptions identity = new UcagOptions(1, 1.0, 0, 1.0, 4, false, UcagOptions.Fold.STANDARD);
        assertClose(explain(gradcam, images, 2, 32, targets),
                explain(new Ucag(gradcam, identity), images, 2, 32, targets), 1e-6);
    }

    @Test
    void theMicroBatchSizeDoesNotChangeTheResult() {
        float[] images = TinyModels.randomImages(new Random(2), 1, 32);
        int[] targets = {2};
        UcagOptions options = new UcagOptions(4, 0.5, 0, 1.5, 16, true, UcagOptions.Fold.STANDARD);
        float[] all = explain(new Ucag(new GradCam(null), options), images, 1, 32, targets);
        for (int micro : new int[] {1, 7}) {
            float[] split = explain(new Ucag(new GradCam(null), options.withMicroBatch(micro)), images, 1, 32,
                    targets);
            assertClose(all, split, 1e-5);
        }
    }

    @Test
    void constantPatchMapsFoldToThatConstant() {
        Explainer constant = new Explainer() {
            @Override
            public String name() {
                return "constant";
            }

            @Override
            public boolean signed() {
                return false;
            }

            @Override
            public Explanation explain(Model m, Tensor images, int[] targets) {
                Device d = m.device();
                Shape s = images.shape();
                float[] v = new float[s.dim(0) * s.dim(2) * s.dim(3)];
                java.util.Arrays.fill(v, 2.5f);
                Tensor logits = m.forward(images);
                return new Explanation(d.fromArray(Shape.of(s.dim(0), 1, s.dim(2), s.dim(3)), v), logits);
            }
        };
        float[] images = TinyModels.randomImages(new Random(3), 1, 32);
        UcagOptions options = new UcagOptions(3, 0.6, 0, 1.3, 5, false, UcagOptions.Fold.STANDARD);
        for (float v : explain(new Ucag(constant, options), images, 1, 32, new int[] {0})) {
            assertEquals(2.5f, v, 1e-5f);
        }
    }

    @Test
    void microBatchesAreNoLargerThanTheMethodAsks() {
        java.util.List<Integer> batches = new java.util.ArrayList<>();
        Explainer heavy = new Explainer() {
            @Override
            public String name() {
                return "heavy";
            }

            @Override
            public boolean signed() {
                return true;
            }

            @Override
            public int maxBatch() {
                return 2;
            }

            @Override
            public Explanation explain(Model m, Tensor images, int[] targets) {
                batches.add(images.shape().dim(0));
                return new GradCam(null).explain(m, images, targets);
            }
        };
        float[] images = TinyModels.randomImages(new Random(5), 1, 32);
        UcagOptions options = new UcagOptions(3, 0.6, 0, 1.3, 5, true, UcagOptions.Fold.STANDARD);
        float[] capped = explain(new Ucag(heavy, options), images, 1, 32, new int[] {1});
        assertEquals(java.util.List.of(2, 2, 2, 2, 1), batches, "9 patches, at most 2 at a time");
        assertClose(explain(new Ucag(new GradCam(null), options), images, 1, 32, new int[] {1}), capped, 1e-6);
        assertEquals(Explainer.ACTIVATION_HEAVY_BATCH, new Lrp("lrp", "epsilon-plus").maxBatch());
        assertEquals(Explainer.ACTIVATION_HEAVY_BATCH, new Rap().maxBatch());
        assertEquals(Integer.MAX_VALUE, new GradCam(null).maxBatch());
    }

    @Test
    void confidenceWeightingScalesEachPatchByExpOfItsProbability() {
        // With one full patch at scale 1, weighting multiplies the base map by exp(p_target) of the image itself.
        float[] images = TinyModels.randomImages(new Random(4), 1, 32);
        int[] targets = {4};
        Explainer gradcam = new GradCam(null);
        UcagOptions weighted = new UcagOptions(1, 1.0, 0, 1.0, 1, true, UcagOptions.Fold.STANDARD);
        float[] base = explain(gradcam, images, 1, 32, targets);
        float[] ucag = explain(new Ucag(gradcam, weighted), images, 1, 32, targets);
        double p;
        try (TensorScope scope = TensorScope.open()) {
            float[] probabilities = device.softmax(model.forward(device.fromArray(Shape.of(1, 3, 32, 32), images)), 1)
                    .toArray();
            p = probabilities[targets[0]];
        }
        for (int i = 0; i < base.length; i++) {
            assertEquals(base[i] * Math.exp(p), ucag[i], 1e-5 * Math.max(1, Math.abs(base[i])));
        }
    }

    @Test
    void badOptionsNameTheFlag() {
        IllegalArgumentException n = assertThrows(IllegalArgumentException.class,
                () -> UcagOptions.PAPER.withN(0));
        assertTrue(n.getMessage().contains("--n"), n.getMessage());
        IllegalArgumentException rho = assertThrows(IllegalArgumentException.class,
                () -> UcagOptions.PAPER.withRho(1.5));
        assertTrue(rho.getMessage().contains("--rho"), rho.getMessage());
        IllegalArgumentException alpha = assertThrows(IllegalArgumentException.class,
                () -> UcagOptions.PAPER.withAlpha(-1));
        assertTrue(alpha.getMessage().contains("--alpha"), alpha.getMessage());
    }
}
