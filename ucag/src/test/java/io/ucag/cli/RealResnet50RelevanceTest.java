package io.ucag.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.ucag.explain.Explainer;
import io.ucag.explain.Explanation;
import io.ucag.explain.Methods;
import io.ucag.models.Model;
import io.ucag.models.ModelLoader;
import io.ucag.models.image.InputTransform;
import io.ucag.models.image.RgbImage;
import io.ucag.models.relevance.Composites;
import io.ucag.models.relevance.Relevance;
import io.ucag.models.relevance.RelevancePass;
import io.ucag.models.relevance.Seed;
import io.ucag.runtime.Device;
import io.ucag.runtime.Devices;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.weights.fetch.ModelFetcher;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The relevance family on the real Keras ResNet50 and the demo photo (a cat, class 285), when the weights and the
 * photo are in the cache or can be fetched (a skip otherwise, a failure under CI=true), on the auto device: the
 * conservation ratio sum(R_input) / logit of every composite (printed: biases absorb part of the logit), z-plus
 * maps >= 0, and c*LRP and SGLRP maps that change with the explained class.
 */
class RealResnet50RelevanceTest {
    private static final boolean CI = "true".equalsIgnoreCase(System.getenv("CI"));
    private static final int CAT = 285;
    private static final int OTHER = 1; // goldfish: absent from the photo

    @Test
    void relevanceOnARealPhoto() throws IOException {
        Path cache = ModelFetcher.defaultCacheDir();
        Model model;
        Path photo;
        Device d = Devices.open("auto");
        try {
            model = ModelLoader.load("resnet50-keras", null, d, cache);
            photo = DemoPhoto.obtain(cache);
        } catch (IOException e) {
            d.close();
            if (CI) {
                fail("CI=true needs the real weights and the demo photo: " + e.getMessage());
            }
            Assumptions.abort("the real weights or the demo photo are not available here: " + e.getMessage());
            return;
        }
        try (d; model; TensorScope scope = TensorScope.open()) {
            RgbImage fitted = ImageInputs.fit(List.of(photo), model.spec().preprocessing(),
                    InputTransform.Crop.CENTER)[0];
            Tensor x = ImageInputs.batch(d, new RgbImage[] {fitted}, model.spec().preprocessing());
            for (String name : Composites.NAMES) {
                try (Relevance r = RelevancePass.run(model, x, Seed.targetLogit(new int[] {CAT}),
                        Composites.create(name, model.spec().preprocessing()))) {
                    float logit = r.logits().toArray()[CAT];
                    double sum = 0;
                    float min = Float.POSITIVE_INFINITY;
                    for (float v : r.input().toArray()) {
                        assertTrue(Float.isFinite(v), name + " gives " + v);
                        sum += v;
                        min = Math.min(min, v);
                    }
                    System.out.printf(Locale.ROOT, "resnet50-keras %-18s sum(R_input) / logit = %8.4f (logit %.3f)%n",
                            name, sum / logit, logit);
                    if (name.equals("alpha1-beta0")) {
                        assertTrue(min >= 0, "alpha1-beta0 relevance is >= 0, got " + min);
                    }
                }
            }
            for (String method : new String[] {"clrp", "sglrp"}) {
                Explainer e = Methods.create(method, null);
                float[] cat = map(e, model, x, CAT);
                float[] other = map(e, model, x, OTHER);
                double correlation = correlation(cat, other);
                System.out.printf(Locale.ROOT, "resnet50-keras %s: maps of classes %d and %d correlate %.3f%n", method,
                        CAT, OTHER, correlation);
                assertTrue(correlation < 0.9, method + " maps for two classes correlate " + correlation);
            }
        }
    }

    private static float[] map(Explainer e, Model model, Tensor x, int target) {
        try (Explanation ex = e.explain(model, x, new int[] {target})) {
            return ex.maps().toArray();
        }
    }

    private static double correlation(float[] a, float[] b) {
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= a.length;
        mb /= b.length;
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += (a[i] - ma) * (b[i] - mb);
            aa += (a[i] - ma) * (a[i] - ma);
            bb += (b[i] - mb) * (b[i] - mb);
        }
        return ab / Math.sqrt(aa * bb);
    }
}
