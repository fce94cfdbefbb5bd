package io.ucag.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.ucag.explain.Agf;
import io.ucag.explain.Explainer;
import io.ucag.explain.Explanation;
import io.ucag.explain.Rap;
import io.ucag.explain.Rsp;
import io.ucag.models.Model;
import io.ucag.models.image.ImageFiles;
import io.ucag.models.image.InputTransform;
import io.ucag.runtime.Device;
import io.ucag.runtime.Devices;
import io.ucag.runtime.Shape;
import io.ucag.runtime.TensorScope;
import io.ucag.weights.fetch.ModelFetcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The relative relevance methods on the real Keras ResNet50 and the demo photo (a cat, class 285), when both are in
 * the default cache (a skip otherwise; a failure under CI=true): RAP's maps sum to each class's logit and are bipolar,
 * the maps of the cat and of an unrelated class differ, and every method agrees between the Java and OpenCL devices.
 */
class RealResnet50RelativeTest {
    private static final boolean CI = "true".equalsIgnoreCase(System.getenv("CI"));
    private static final int[] TARGETS = {285, 1}; // Egyptian cat, goldfish
    private static final int PLANE = 224 * 224;
    private static final List<Explainer> METHODS = List.of(new Rap(), new Rsp(null), new Agf());


    private static float[] photoTwice(Model model) throws IOException {
        Path photo = ModelFetcher.defaultCacheDir().resolve("chelsea.png");
        if (!Files.isRegularFile(photo)) {
            if (CI) {
                fail("CI=true needs the demo photo " + photo + " (run `ucag demo` once)");
            }
            Assumptions.abort("the demo photo " + photo + " is not cached (run `ucag demo` once)");
        }
        float[] x = InputTransform.apply(ImageFiles.read(photo), model.spec().preprocessing(),
                InputTransform.Crop.CENTER);
        float[] two = new float[2 * x.length];
        System.arraycopy(x, 0, two, 0, x.length);
        System.arraycopy(x, 0, two, x.length, x.length);
        return two;
    }

    /**
     * Per method: maps (items,1,224,224) and logits of the first {@code items} targets on {@code device}; the model
     * loaded once.
     */
    private static Map<String, float[][]> explain(Device device, int items) throws IOException {
        Map<String, float[][]> out = new LinkedHashMap<>();
        try (Model model = RealResnet50Test.load(device); TensorScope scope = TensorScope.open()) {
            float[] two = photoTwice(model);
            var images = device.fromArray(Shape.of(items, 3, 224, 224), Arrays.copyOf(two, items * 3 * PLANE));
            for (Explainer method : METHODS) {
                try (Explanation e = method.explain(model, images, Arrays.copyOf(TARGETS, items))) {
                    out.put(method.name(), new float[][] {e.maps().toArray(), e.logits().toArray()});
                }
            }
        }
        return out;
    }

    private static double correlation(float[] maps) {
        double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
        for (int i = 0; i < PLANE; i++) {
            double a = maps[i];
            double b = maps[PLANE + i];
            sa += a;
            sb += b;
            saa += a * a;
            sbb += b * b;
            sab += a * b;
        }
        return (sab - sa * sb / PLANE) / Math.sqrt((saa - sa * sa / PLANE) * (sbb - sb * sb / PLANE));
    }

    @Test
    void relativeMethodsOnTheCatPhotoAndBothDevicesAgree() throws IOException {
        Map<String, float[][]> java;
        try (Device d = Devices.open("java")) {
            java = explain(d, 2);
        }
        float[][] rap = java.get("rap");
        for (int n = 0; n < 2; n++) {
            double sum = 0;
            int positive = 0;
            int negative = 0;
            for (int i = n * PLANE; i < (n + 1) * PLANE; i++) {
                sum += rap[0][i];
                positive += rap[0][i] > 0 ? 1 : 0;
                negative += rap[0][i] < 0 ? 1 : 0;
            }
            double logit = rap[1][n * 1000 + TARGETS[n]];
            assertEquals(logit, sum, 1e-3 * Math.abs(logit) + 1e-4, "rap, class " + TARGETS[n] + ": sum of the map");
            assertTrue(positive > PLANE / 10 && negative > PLANE / 10, "rap: " + positive + " positive, " + negative
                    + " negative pixels");
        }
        // Measured correlations of the cat and goldfish maps: rap 0.956 (RAP maps of unrelated classes are alike in
        // shape; they differ mostly in scale, the logit), rsp -0.054 (its Grad-CAM seed is class-discriminative),
        // agf -0.71 (its factorisation splits this close-up into two regions whose signs swap with the class).
        assertTrue(correlation(rap[0]) < 0.99, "rap: cat and goldfish maps correlate " + correlation(rap[0]));
        assertTrue(correlation(java.get("rsp")[0]) < 0.5, "rsp: cat and goldfish maps correlate "
                + correlation(java.get("rsp")[0]));
        assertTrue(correlation(java.get("agf")[0]) < 0.5, "agf: cat and goldfish maps correlate "
                + correlation(java.get("agf")[0]));

        Map<String, float[][]> cl;
        try (Device d = RealResnet50Test.openCl()) {
            cl = explain(d, 1); // the cat only: half the time
        }
        for (String method : java.keySet()) {
            float[] maps = java.get(method)[0];
            double max = 0;
            for (float v : maps) {
                max = Math.max(max, Math.abs(v));
            }
            for (int i = 0; i < PLANE; i++) {
                assertEquals(maps[i], cl.get(method)[0][i], 1e-4 * max, method + ": OpenCL vs Java, element " + i);
            }
        }
    }
}
