package io.ucag.models.relevance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.models.Model;
import io.ucag.models.ModelSpec;
import io.ucag.models.Preprocessing;
import io.ucag.models.layers.Layer;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.ops.Conv2dParams;
import io.ucag.runtime.java.JavaDevice;
import io.ucag.runtime.relevance.Epsilon;
import io.ucag.runtime.relevance.Flat;
import java.util.List;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** LRP identities and conservation on small seeded VGG-like and ResNet-like networks (Java device). */
class RelevancePassTest {
    private static final JavaDevice DEVICE = new JavaDevice(2);
    private static final Composite LRP0 = Composites.create("lrp0", Preprocessing.TORCHVISION);

    private static ModelSpec spec(boolean residual) {
        return residual ? SmallNets.resnet() : SmallNets.vgg();
    }

    /** LRP-0 on a bias-free ReLU network equals Gradient x Input (Montavon et al. 2019, section 10.2.1). */
    @Property(tries = 12)
    void lrp0EqualsGradientTimesInputWithoutBiases(@ForAll @IntRange(min = 0, max = 1000) int seed,
                                                   @ForAll boolean residual) {
        int[] targets = {seed % SmallNets.CLASSES, (seed / 7) % SmallNets.CLASSES};
        try (Model m = SmallNets.load(spec(residual), DEVICE, seed, false)) {
            float[] x = SmallNets.images(seed + 1, 2);
            float[] expected = SmallNets.gradientTimesInput(m, x, targets);
            float[] actual = SmallNets.relevance(m, x, targets, LRP0);
            SmallNets.assertClose(expected, actual, 1e-4, "LRP-0 vs gradient x input");
        }
    }

    /** Without biases, LRP-0 and epsilon -> 0 conserve the target logit: sum(R_input) = logit (1e-3 relative). */
    @Test
    void conservesTheTargetLogitWithoutBiases() {
        for (boolean residual : new boolean[] {false, true}) {
            try (Model m = SmallNets.load(spec(residual), DEVICE, 11, false)) {
                float[] x = SmallNets.images(3, 2);
                int[] targets = {1, 4};
                float[] logits = SmallNets.logits(m, x);
                for (Composite c : List.of(LRP0, Composite.of("eps", new Epsilon(1e-7f), new Epsilon(1e-7f), null))) {
                    double[] sums = SmallNets.perItemSums(SmallNets.relevance(m, x, targets, c), 2);
                    for (int n = 0; n < 2; n++) {
                        double logit = logits[n * SmallNets.CLASSES + targets[n]];
                        assertEquals(logit, sums[n], 1e-3 * Math.abs(logit) + 1e-6,
                                (residual ? "resnet " : "vgg ") + c.name() + " item " + n);
                    }
                }
            }
        }
    }

    /** A BatchNorm with no convolution before it (on the input) keeps the identity; canonising keeps the logits. */
    @Test
    void standaloneBatchNormAndFoldedLogits() {
        ModelSpec spec = new ModelSpec("bn-first", new Layer.Sequential("", List.of(
                new Layer.BatchNorm2d("bn0", 3, 1e-5f),
                new Layer.Conv2d("conv", 3, 4, 3, 3, Conv2dParams.of(2, 1), true),
                new Layer.BatchNorm2d("bn1", 4, 1e-3f),
                new Layer.ReLU("relu"),
                new Layer.AdaptiveAvgPool2d("avgpool", 1, 1),
                new Layer.Flatten("flatten"),
                new Layer.Linear("fc", 4, SmallNets.CLASSES))), SmallNets.SIDE, Preprocessing.TORCHVISION,
                SmallNets.CLASSES, "relu");
        float[] x = SmallNets.images(5, 2);
        int[] targets = {0, 2};
        try (Model m = SmallNets.load(spec, DEVICE, 6, false)) {
            SmallNets.assertClose(SmallNets.gradientTimesInput(m, x, targets),
                    SmallNets.relevance(m, x, targets, LRP0), 1e-4, "LRP-0 with a BatchNorm on the input");
        }
        for (ModelSpec s : List.of(spec, SmallNets.vgg(), SmallNets.resnet())) {
            try (Model m = SmallNets.load(s, DEVICE, 7, true); TensorScope scope = TensorScope.open();
                 Relevance r = RelevancePass.run(m, SmallNets.upload(DEVICE, x), Seed.targetLogit(targets), LRP0)) {
                SmallNets.assertClose(SmallNets.logits(m, x), r.logits().toArray(), 1e-5, s.architecture() + " logits");
            }
        }
    }

    @Test
    void zPlusMapsAreNonNegativeForAPositiveLogit() {
        for (boolean residual : new boolean[] {false, true}) {
            try (Model m = SmallNets.load(spec(residual), DEVICE, 5, true)) {
                float[] x = SmallNets.images(9, 1);
                float[] logits = SmallNets.logits(m, x);
                int target = 0;
                for (int k = 1; k < SmallNets.CLASSES; k++) {
                    target = logits[k] > logits[target] ? k : target;
                }
                assertTrue(logits[target] > 0, "the top logit of this seed is positive");
                Composite zPlus = Composites.create("alpha1-beta0", Preprocessing.TORCHVISION);
                float[] r = SmallNets.relevance(m, x, new int[] {target}, zPlus);
                double sum = 0;
                for (float v : r) {
                    assertTrue(v >= 0, "z-plus relevance " + v);
                    sum += v;
                }
                assertTrue(sum > 0, "some relevance reaches the input");
            }
        }
    }

    @Test
    void everyCompositeGivesFiniteMaps() {
        try (Model m = SmallNets.load(SmallNets.resnet(), DEVICE, 2, true)) {
            float[] x = SmallNets.images(4, 2);
            for (String name : Composites.NAMES) {
                float[] r = SmallNets.relevance(m, x, new int[] {0, 3}, Composites.create(name,
                        Preprocessing.TORCHVISION));
                for (float v : r) {
                    assertTrue(Float.isFinite(v), name + " gave " + v);
                }
            }
        }
    }

    @Test
    void unknownNamesAreOneClearError() {
        IllegalArgumentException composite = assertThrows(IllegalArgumentException.class,
                () -> Composites.create("nope", Preprocessing.TORCHVISION));
        assertTrue(composite.getMessage().contains("epsilon-gamma-box"), composite.getMessage());
        try (Model m = SmallNets.load(SmallNets.vgg(), DEVICE, 1, true)) {
            IllegalArgumentException layer = assertThrows(IllegalArgumentException.class, () -> RelevancePass.run(m,
                    SmallNets.upload(DEVICE, SmallNets.images(1, 1)), Seed.targetLogit(new int[] {0}), LRP0,
                    List.of("features.99")));
            assertTrue(layer.getMessage().contains("features.4"), layer.getMessage());
            Composite bad = LRP0.withRule("features.2", new Flat());
            IllegalArgumentException override = assertThrows(IllegalArgumentException.class, () -> RelevancePass.run(
                    m, SmallNets.upload(DEVICE, SmallNets.images(1, 1)), Seed.targetLogit(new int[] {0}), bad));
            assertTrue(override.getMessage().contains("classifier.3"), override.getMessage());
        }
    }
    /**
     * A network whose first affine layer sits in a residual block (the pass then runs the body before the shortcut,
     * so that the body's first convolution stays that layer): LRP-0 still equals Gradient x Input without biases,
     * and the first-layer rule lands on {@code block.body.0}, as if named there.
     */
    @Test
    void aResidualBlockHoldingTheFirstLayerKeepsItsBodysFirstConvolutionFirst() {
        Layer.Sequential body = new Layer.Sequential("block.body", List.of(
                new Layer.Conv2d("block.body.0", 3, 4, 3, 3, Conv2dParams.of(1, 1), false),
                new Layer.BatchNorm2d("block.body.1", 4, 1e-5f),
                new Layer.ReLU("block.body.2"),
                new Layer.Conv2d("block.body.3", 4, 4, 3, 3, Conv2dParams.of(1, 1), false),
                new Layer.BatchNorm2d("block.body.4", 4, 1e-5f)));
        Layer.Sequential shortcut = new Layer.Sequential("block.shortcut", List.of(
                new Layer.Conv2d("block.shortcut.0", 3, 4, 1, 1, Conv2dParams.of(1, 0), false)));
        Layer.Sequential root = new Layer.Sequential("", List.of(
                new Layer.Residual("block", body, shortcut, new Layer.ReLU("block.relu")),
                new Layer.AdaptiveAvgPool2d("avgpool", 1, 1),
                new Layer.Flatten("flatten"),
                new Layer.Linear("fc", 4, SmallNets.CLASSES)));
        ModelSpec spec = new ModelSpec("residual-first", root, SmallNets.SIDE, Preprocessing.TORCHVISION,
                SmallNets.CLASSES, "block");
        int[] targets = {2, 3};
        try (Model m = SmallNets.load(spec, DEVICE, 5, false)) {
            float[] x = SmallNets.images(9, 2);
            SmallNets.assertClose(SmallNets.gradientTimesInput(m, x, targets),
                    SmallNets.relevance(m, x, targets, LRP0), 1e-4, "LRP-0 vs gradient x input");
            Composite firstFlat = Composite.of("first-flat", new Epsilon(1e-7f), new Epsilon(1e-7f), new Flat());
            Composite namedFlat = Composite.of("named-flat", new Epsilon(1e-7f), new Epsilon(1e-7f), null)
                    .withRule("block.body.0", new Flat());
            float[] viaFirst = SmallNets.relevance(m, x, targets, firstFlat);
            SmallNets.assertClose(SmallNets.relevance(m, x, targets, namedFlat), viaFirst, 1e-6,
                    "the first-layer rule on block.body.0");
            Composite shortcutFlat = Composite.of("shortcut-flat", new Epsilon(1e-7f), new Epsilon(1e-7f), null)
                    .withRule("block.shortcut.0", new Flat());
            float[] viaShortcut = SmallNets.relevance(m, x, targets, shortcutFlat);
            assertTrue(IntStream.range(0, viaFirst.length)
                    .anyMatch(k -> Math.abs(viaFirst[k] - viaShortcut[k]) > 1e-4), "the rule's layer matters here");
        }
    }
}
