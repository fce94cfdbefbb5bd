package io.ucag.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ucag.eval.metrics.CausalMetric;
import io.ucag.eval.metrics.CausalMetric.Game;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.java.JavaDevice;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Deletion and insertion on a linear two-class model whose scores are sigmoid(sum of kept weights). */
class CausalMetricTest {
    private static JavaDevice d;

    @BeforeAll
    static void open() {
        d = new JavaDevice(2);
    }

    @AfterAll
    static void close() {
        d.close();
    }

    /** 2x2 image, ones on channel 0; pixel weights (1, 0.5, 0, -0.5) on channel 0, so z = sum of kept weights. */
    private static float[] deletion(float[] map, int step, int batch) {
        float[] image = new float[12];
        java.util.Arrays.fill(image, 0, 4, 1f);
        java.util.Arrays.fill(image, 4, 12, 7f); // other channels have weight 0: their values must not matter
        float[] w = {1f, 0.5f, 0f, -0.5f, 0, 0, 0, 0, 0, 0, 0, 0};
        try (TensorScope scope = TensorScope.open()) {
            Tensor x = d.fromArray(Shape.of(1, 3, 2, 2), image);
            return CausalMetric.curve(Game.DELETION, d, new LinearClassifier(d, w, 2, 2), x, map, 0,
                    new CausalMetric.Options(step, 1, 1f, batch));
        }
    }

    @Test
    void deletionRemovesPixelsInSaliencyOrderWithStableTies() {
        // order: pixel 1 (0.9), pixel 2 (0.5), pixel 3 (0.5, after 2), pixel 0 (0.1); z: 1, 0.5, 0.5, 1, 0
        float[] s = deletion(new float[] {0.1f, 0.9f, 0.5f, 0.5f}, 1, 16);
        assertArrayEquals(new float[] {0.7310585786f, 0.6224593312f, 0.6224593312f, 0.7310585786f, 0.5f}, s, 1e-6f);
        assertEquals(0.6478766326, CausalMetric.auc(s), 1e-6);
    }

    @Test
    void aLastPartialStepTakesTheRemainingPixels() {
        float[] s = deletion(new float[] {0.1f, 0.9f, 0.5f, 0.5f}, 3, 16); // 0, 3, then all 4 pixels removed
        assertArrayEquals(new float[] {0.7310585786f, 0.7310585786f, 0.5f}, s, 1e-6f);
        assertEquals(0.6732939340, CausalMetric.auc(s), 1e-6);
    }

    @Test
    void microBatchesDoNotChangeTheScores() {
        float[] map = {0.3f, -1f, 2f, 0.3f};
        float[] all = deletion(map, 1, 16);
        assertArrayEquals(all, deletion(map, 1, 1));
        assertArrayEquals(all, deletion(map, 1, 2));
    }

    @Test
    void aucIsTheTrapezoidOverEvenlySpacedPoints() {
        assertEquals((1 + 0.5 + 0.25 - 0.5 - 0.125) / 2, CausalMetric.auc(new float[] {1f, 0.5f, 0.25f}), 1e-12);
        assertEquals(0.5, CausalMetric.auc(new float[] {0.5f, 0.5f}), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> CausalMetric.auc(new float[] {1f}));
    }

    @Test
    void thePaperStepGives29PointsAt224() {
        assertEquals(28, CausalMetric.steps(224 * 224, 224 * 8));
        assertEquals(CausalMetric.Options.paper(224).step(), 1792);
    }

    @Test
    void insertionStartsBlurredAndRestoresPixelsInOrder() {
        int h = 6;
        int w = 7;
        Random rng = new Random(3);
        float[] image = new float[3 * h * w];
        float[] weights = new float[3 * h * w];
        float[] map = new float[h * w];
        for (int i = 0; i < image.length; i++) {
            image[i] = (float) rng.nextGaussian();
            weights[i] = (float) (rng.nextGaussian() * 0.3);
        }
        for (int i = 0; i < map.length; i++) {
            map[i] = rng.nextInt(5); // many ties
        }
        int step = 4;
        LinearClassifier net = new LinearClassifier(d, weights, h, w);
        try (TensorScope scope = TensorScope.open()) {
            Tensor x = d.fromArray(Shape.of(1, 3, h, w), image);
            float[] blurred = d.gaussianBlur(x, 5, 2f).toArray();
            float[] s = CausalMetric.curve(Game.INSERTION, d, net, x, map, 0, new CausalMetric.Options(step, 5, 2f, 3));
            assertEquals(CausalMetric.steps(h * w, step) + 1, s.length);
            int[] rank = io.ucag.eval.metrics.PixelOrder.ranks(map);
            for (int i = 0; i < s.length; i++) {
                float[] expected = blurred.clone();
                for (int p = 0; p < h * w; p++) {
                    if (rank[p] < Math.min(i * step, h * w)) {
                        for (int c = 0; c < 3; c++) {
                            expected[c * h * w + p] = image[c * h * w + p];
                        }
                    }
                }
                assertEquals(LinearClassifier.sigmoid(net.z(expected)), s[i], 1e-5, "point " + i);
            }
            assertEquals(LinearClassifier.sigmoid(net.z(image)), s[s.length - 1], 1e-5);
        }
    }

    @Test
    void deletionZeroesAllChannelsOfRemovedPixels() {
        int h = 5;
        int w = 5;
        Random rng = new Random(8);
        float[] image = new float[3 * h * w];
        float[] weights = new float[3 * h * w];
        float[] map = new float[h * w];
        for (int i = 0; i < image.length; i++) {
            image[i] = (float) rng.nextGaussian();
            weights[i] = (float) (rng.nextGaussian() * 0.3);
        }
        for (int i = 0; i < map.length; i++) {
            map[i] = (float) rng.nextGaussian();
        }
        LinearClassifier net = new LinearClassifier(d, weights, h, w);
        try (TensorScope scope = TensorScope.open()) {
            Tensor x = d.fromArray(Shape.of(1, 3, h, w), image);
            float[] s = CausalMetric.curve(Game.DELETION, d, net, x, map, 0, new CausalMetric.Options(7, 51, 50f, 2));
            int[] rank = io.ucag.eval.metrics.PixelOrder.ranks(map);
            assertEquals(5, s.length); // 0, 7, 14, 21, 25 pixels removed
            for (int i = 0; i < s.length; i++) {
                float[] expected = image.clone();
                for (int p = 0; p < h * w; p++) {
                    if (rank[p] < Math.min(i * 7, h * w)) {
                        for (int c = 0; c < 3; c++) {
                            expected[c * h * w + p] = 0;
                        }
                    }
                }
                assertEquals(LinearClassifier.sigmoid(net.z(expected)), s[i], 1e-5, "point " + i);
            }
            assertEquals(0.5, s[4], 1e-7); // an all-zero input: z = 0
        }
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> deletion(new float[3], 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new CausalMetric.Options(0, 51, 50f, 1));
        assertThrows(IllegalArgumentException.class, () -> new CausalMetric.Options(1, 50, 50f, 1));
        assertThrows(IllegalArgumentException.class, () -> new CausalMetric.Options(1, 51, 50f, 0));
    }
}
