package io.ucag.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.ucag.explain.Explainer;
import io.ucag.explain.Explanation;
import io.ucag.explain.Rap;
import io.ucag.models.Model;
import io.ucag.models.ModelLoader;
import io.ucag.models.image.ImageFiles;
import io.ucag.models.image.InputTransform;
import io.ucag.runtime.Device;
import io.ucag.runtime.DeviceUnavailableException;
import io.ucag.runtime.Devices;
import io.ucag.runtime.Shape;
import io.ucag.runtime.TensorScope;
import io.ucag.weights.fetch.ModelFetcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The relative relevance methods on the real Keras ResNet50 and the demo photo (a cat, class 285), when both are in
 * the default cache (a skip otherwise; a failure under CI=true): RAP's maps sum to each class's logit, differ between
 * the cat and an unrelated class, are bipolar, and agree between the Java and OpenCL devices.
 */
class RealResnet50RelativeTest {
    private static final boolean CI = "true".equalsIgnoreCase(System.getenv("CI"));
    private static final int[] TARGETS = {285, 1}; // Egyptian cat, goldfish
    private static final int PLANE = 224 * 224;

    private static Model load(Device device) {
        try {
            return ModelLoader.load("resnet50-keras", null, device, ModelFetcher.defaultCacheDir());
        } catch (IOException e) {
            if (CI) {
                fail("CI=true needs the real weights: " + e.getMessage());
            }
            Assumptions.abort("the real weights are not available here: " + e.getMessage());
            return null;
        }
    }

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

    /** Maps (2,1,224,224) and logits of both targets on {@code device}. */
    private static float[][] explain(Explainer method, Device device) throws IOException {
        try (Model model = load(device); TensorScope scope = TensorScope.open();
             Explanation e = method.explain(model, device.fromArray(Shape.of(2, 3, 224, 224), photoTwice(model)),
                     TARGETS)) {
            return new float[][] {e.maps().toArray(), e.logits().toArray()};
        }
    }

    private static Device openCl() {
        try {
            return Devices.open("opencl");
        } catch (DeviceUnavailableException e) {
            if (CI) {
                fail("CI=true requires an OpenCL device: " + e.getMessage());
            }
            Assumptions.abort("no OpenCL device: " + e.getMessage());
            return null;
        }
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
    void rapConservesEachLogitSeparatesClassesAndBothDevicesAgree() throws IOException {
        float[][] java;
        try (Device d = Devices.open("java")) {
            java = explain(new Rap(), d);
        }
        float[] maps = java[0];
        for (int n = 0; n < 2; n++) {
            double sum = 0;
            int positive = 0;
            int negative = 0;
            for (int i = n * PLANE; i < (n + 1) * PLANE; i++) {
                sum += maps[i];
                positive += maps[i] > 0 ? 1 : 0;
                negative += maps[i] < 0 ? 1 : 0;
            }
            double logit = java[1][n * 1000 + TARGETS[n]];
            assertEquals(logit, sum, 1e-3 * Math.abs(logit) + 1e-4, "class " + TARGETS[n] + ": sum of the map");
            assertTrue(positive > PLANE / 10 && negative > PLANE / 10, positive + " positive, " + negative
                    + " negative pixels");
        }
        // Measured 0.956: RAP maps of unrelated classes are alike in shape (they differ mostly in scale, the logit).
        double corr = correlation(maps);
        assertTrue(corr < 0.99, "cat and goldfish maps correlate " + corr);

        float[][] cl;
        try (Device d = openCl()) {
            cl = explain(new Rap(), d);
        }
        double max = 0;
        for (float v : maps) {
            max = Math.max(max, Math.abs(v));
        }
        for (int i = 0; i < maps.length; i++) {
            assertEquals(maps[i], cl[0][i], 1e-4 * max, "OpenCL vs Java, element " + i);
        }
    }
}
