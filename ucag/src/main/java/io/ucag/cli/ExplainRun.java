package io.ucag.cli;

import io.ucag.api.TopK;
import io.ucag.explain.Explainer;
import io.ucag.explain.Explanation;
import io.ucag.explain.Ucag;
import io.ucag.explain.UcagOptions;
import io.ucag.models.ImageNetClasses;
import io.ucag.models.Model;
import io.ucag.models.Preprocessing;
import io.ucag.models.image.ImageFiles;
import io.ucag.models.image.InputTransform;
import io.ucag.models.image.RgbImage;
import io.ucag.render.Figure;
import io.ucag.render.Overlay;
import io.ucag.runtime.Device;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One explanation of one photo, as {@code explain} and {@code demo} run it: classify, explain with the base
 * method, optionally with UCAG around it, and keep the maps (H*W, raw) and timings.
 */
final class ExplainRun {
    /** Results of one run; maps are raw, row-major, at the model's input resolution. */
    record Result(RgbImage photo, float[] probabilities, int target, float[] baseMap, double baseSeconds,
                  float[] ucagMap, double ucagSeconds, double classifySeconds) {
        float probability() {
            return probabilities[target];
        }
    }

    private ExplainRun() {
    }

    /**
     * @param target the class to explain, or -1 for the top-1 prediction
     * @param ucag   UCAG options, or null for the base method alone
     */
    static Result run(Model model, Path image, InputTransform.Crop crop, Explainer method, int target,
                      UcagOptions ucag) throws IOException {
        Device d = model.device();
        Preprocessing p = model.spec().preprocessing();
        RgbImage photo = InputTransform.fit(ImageFiles.read(image), p, crop);
        try (TensorScope scope = TensorScope.open()) {
            Tensor input = ImageInputs.batch(d, new RgbImage[] {photo}, p);
            long t0 = System.nanoTime();
            float[] probabilities = d.softmax(model.forward(input), 1).toArray();
            double classifySeconds = (System.nanoTime() - t0) / 1e9;
            int classes = probabilities.length;
            if (target >= classes) {
                throw new IllegalArgumentException("--target " + target + " is outside 0.." + (classes - 1));
            }
            int t = target >= 0 ? target : TopK.indices(probabilities, 0, classes, 1)[0];
            long t1 = System.nanoTime();
            float[] base;
            try (Explanation e = method.explain(model, input, new int[] {t})) {
                base = e.maps().toArray();
            }
            double baseSeconds = (System.nanoTime() - t1) / 1e9;
            float[] ucagMap = null;
            double ucagSeconds = 0;
            if (ucag != null) {
                long t2 = System.nanoTime();
                try (Explanation e = new Ucag(method, ucag).explain(model, input, new int[] {t})) {
                    ucagMap = e.maps().toArray();
                }
                ucagSeconds = (System.nanoTime() - t2) / 1e9;
            }
            return new Result(photo, probabilities, t, base, baseSeconds, ucagMap, ucagSeconds, classifySeconds);
        }
    }

    /** The side-by-side figure: photo, base overlay and, if computed, the UCAG overlay. */
    static Figure figure(Result r, Explainer method) {
        String className = ImageNetClasses.name(r.target());
        Figure f = new Figure(String.format(Locale.ROOT, "%s (class %d, p = %.1f%%), method %s", className,
                r.target(), 100 * r.probability(), method.name()));
        f.add(r.photo(), "input");
        f.add(Overlay.of(r.photo(), r.baseMap(), method.signed()),
                String.format(Locale.ROOT, "%s  %.2f s", method.name(), r.baseSeconds()));
        if (r.ucagMap() != null) {
            f.add(Overlay.of(r.photo(), r.ucagMap(), method.signed()),
                    String.format(Locale.ROOT, "UCAG-%s  %.2f s", method.name(), r.ucagSeconds()));
        }
        return f;
    }
}
