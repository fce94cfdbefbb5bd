package io.ucag.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.eval.TinyNet;
import io.ucag.eval.metrics.CausalMetric;
import io.ucag.eval.metrics.Classifier;
import io.ucag.eval.metrics.MapDensity;
import io.ucag.explain.Explainer;
import io.ucag.explain.Explanation;
import io.ucag.explain.GradCam;
import io.ucag.explain.UcagOptions;
import io.ucag.models.image.InputTransform;
import io.ucag.runtime.Device;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.io.TempDir;

/** The facade on the tiny network (Java device): each call equals the lower-level code it wraps. */
class NetworkTest {
    @TempDir
    static Path dir;

    private static Device device;
    private static Network net;

    @BeforeAll
    static void load() {
        device = TinyNetworks.open("java");
        net = TinyNetworks.load(device, dir, 3);
    }

    @AfterAll
    static void close() {
        net.close();
        device.close();
    }

    @Test
    void preparesWithTheNetworksTransform() throws IOException {
        BufferedImage photo = TinyNetworks.photo(1, 40, 50);
        InputImage in = net.prepare(photo);
        assertEquals(TinyNet.SIDE, in.side());
        float[] expected = InputTransform.apply(io.ucag.models.image.ImageFiles.toRgb(photo),
                TinyNet.spec().preprocessing(), InputTransform.Crop.CENTER);
        assertArrayEquals(expected, in.values());
        assertEquals(TinyNet.SIDE, in.toBufferedImage().getWidth());
        Path file = dir.resolve("photo.png");
        ImageIO.write(photo, "png", file.toFile());
        assertArrayEquals(expected, net.prepare(file).values());
        assertTrue(assertThrows(IOException.class, () -> net.prepare(dir.resolve("none.png"))).getMessage()
                .contains("none.png: no such file"));
    }

    @Test
    void classifiesWithTheModelsSoftmaxLargestFirst() {
        InputImage in = net.prepare(TinyNetworks.photo(2, 36, 36));
        float[] expected;
        try (TensorScope scope = TensorScope.open()) {
            expected = device.softmax(net.model().forward(in.toTensor(device)), 1).toArray();
        }
        assertArrayEquals(expected, net.probabilities(in));
        List<Prediction> top = net.classify(in, 3);
        assertEquals(3, top.size());
        float[] sorted = expected.clone();
        Arrays.sort(sorted);
        assertEquals(sorted[sorted.length - 1], top.get(0).probability());
        assertEquals(sorted[sorted.length - 3], top.get(2).probability());
        assertEquals("class " + top.get(0).classIndex(), top.get(0).className());
        assertEquals(TinyNet.CLASSES, net.classify(in, 99).size());
    }

    @Test
    void explainsLikeTheExplainerOnTheModel() {
        InputImage in = net.prepare(TinyNetworks.photo(3, 36, 40));
        Explainer ucag = Explainers.ucag(Explainers.byName("gradcam"), UcagOptions.PAPER.withN(3));
        Attribution a = net.explain(in, ucag, 4);
        float[] expected;
        try (TensorScope scope = TensorScope.open();
             Explanation e = ucag.explain(net.model(), in.toTensor(device), new int[] {4})) {
            expected = e.maps().toArray();
        }
        assertArrayEquals(expected, a.map());
        assertEquals("gradcam+ucag", a.method());
        assertEquals(4, a.target());
        assertFalse(a.signed());
        assertEquals(net.probabilities(in)[4], a.targetProbability(), 1e-6);
        float[] shown = a.normalized();
        assertEquals(1f, max(shown));
        assertTrue(min(shown) >= 0);
        BufferedImage overlay = a.overlay();
        assertEquals(TinyNet.SIDE, overlay.getWidth());
        assertEquals(TinyNet.SIDE, overlay.getHeight());
        try (Tensor t = a.toTensor(device)) {
            assertEquals("(1,1,32,32)", t.shape().toString());
            assertArrayEquals(expected, t.toArray());
        }
        // without a target: the top-1 class
        assertEquals(net.classify(in, 1).get(0).classIndex(), net.explain(in, new GradCam(null)).target());
    }

    @Test
    void evaluatesWithTheMetrics() {
        InputImage in = net.prepare(TinyNetworks.photo(4, 36, 36));
        Attribution a = net.explain(in, Explainers.byName("layercam"), 1);
        MetricOptions options = MetricOptions.paper(TinyNet.SIDE).withGame(new CausalMetric.Options(64, 5, 2f, 8));
        MetricScores scores = net.evaluate(in, a, options);
        try (TensorScope scope = TensorScope.open()) {
            Tensor x = in.toTensor(device);
            Classifier c = Classifier.of(net.model());
            assertEquals(CausalMetric.auc(CausalMetric.curve(CausalMetric.Game.DELETION, device, c, x, a.map(), 1,
                    options.game())), scores.deletion(), 1e-12);
            assertEquals(CausalMetric.auc(CausalMetric.curve(CausalMetric.Game.INSERTION, device, c, x, a.map(), 1,
                    options.game())), scores.insertion(), 1e-12);
            assertEquals(MapDensity.of(device, c, x, a.map(), 1).positive(), scores.densityPositive(), 1e-12);
        }
        assertTrue(scores.pointing().isEmpty() && scores.energy().isEmpty());
        boolean[] everywhere = new boolean[TinyNet.SIDE * TinyNet.SIDE];
        Arrays.fill(everywhere, true);
        MetricScores inside = net.evaluate(in, a, options.withRegion(everywhere));
        assertEquals(1.0, inside.pointing().getAsDouble());
        assertEquals(1.0, inside.energy().getAsDouble(), 1e-9);
        assertEquals(scores.deletion(), inside.deletion());
    }

    @Test
    void badInputGetsOneClearError() {
        InputImage in = net.prepare(TinyNetworks.photo(5, 36, 36));
        Explainer gradcam = Explainers.byName("gradcam");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> net.explain(in, gradcam, 5)).getMessage()
                .contains("class 5 is outside tiny-eval's 0..4"));
        InputImage big = InputImage.of(TinyNetworks.photo(5, 80, 80), io.ucag.models.Preprocessing.TORCHVISION,
                InputTransform.Crop.CENTER);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> net.classify(big, 1)).getMessage()
                .contains("a 224x224 input for tiny-eval, which takes 32x32"));
        assertThrows(IllegalArgumentException.class, () -> Explainers.byName("nope"));
        assertThrows(IllegalArgumentException.class, () -> net.evaluate(in, net.explain(in, gradcam, 0),
                MetricOptions.paper(32).withRegion(new boolean[7])));
        assertThrows(IllegalArgumentException.class, () -> new ModelSource(" ", null, dir));
        assertThrows(IllegalArgumentException.class, () -> ModelSource.of("resnet18", null));
        assertThrows(IllegalArgumentException.class, () -> DeviceChoice.parse("cuda"));
        assertThrows(IllegalArgumentException.class, () -> new MetricOptions(null, null, 15));
    }

    @Test
    void aClosedNetworkRefusesCalls() {
        Network other = TinyNetworks.load(device, dir, 9);
        InputImage in = other.prepare(TinyNetworks.photo(6, 36, 36));
        assertEquals(5, other.probabilities(in).length);
        other.close();
        other.close(); // idempotent
        assertTrue(assertThrows(IllegalStateException.class, () -> other.classify(in, 1)).getMessage()
                .contains("closed"));
        Network wrapped = Network.wrap(TinyNet.load(device, 2));
        Tensor weight = wrapped.model().parameter("fc.weight");
        assertEquals(5, wrapped.classify(in, 5).size());
        wrapped.close();
        assertTrue(weight.isClosed(), "closing the network frees the model's weights");
        try (Tensor one = device.fromArray(io.ucag.runtime.Shape.of(1), new float[] {1})) { // the device stays open
            assertArrayEquals(new float[] {1}, one.toArray());
        }
    }

    private static float max(float[] v) {
        float m = Float.NEGATIVE_INFINITY;
        for (float x : v) {
            m = Math.max(m, x);
        }
        return m;
    }

    private static float min(float[] v) {
        float m = Float.POSITIVE_INFINITY;
        for (float x : v) {
            m = Math.min(m, x);
        }
        return m;
    }
}
