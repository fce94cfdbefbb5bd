package io.ucag.eval.run;

import io.ucag.eval.metrics.CausalMetric;
import io.ucag.explain.Explainer;
import io.ucag.explain.Methods;
import io.ucag.explain.Ucag;
import io.ucag.explain.UcagOptions;
import io.ucag.models.image.InputTransform;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What {@link Evaluator} computes.
 *
 * @param methods        method names; {@code NAME+ucag} wraps NAME in UCAG with {@code ucag}
 * @param metrics        the metrics to compute
 * @param scorePredicted explain and score the predicted class instead of the ground-truth label
 * @param game           deletion / insertion parameters
 * @param tolerance      pointing game tolerance in input pixels (15)
 * @param layer          CAM target layer, or null for the model's default
 * @param ucag           UCAG parameters for the {@code +ucag} methods
 * @param crop           how images are fitted to the input
 * @param limit          evaluate the first {@code limit} images only (0: all)
 * @param galleryRows    images shown in report.html
 */
public record EvaluationOptions(List<String> methods, Set<Metric> metrics, boolean scorePredicted,
                                CausalMetric.Options game, int tolerance, String layer, UcagOptions ucag,
                                InputTransform.Crop crop, int limit, int galleryRows) {
    public static final String UCAG_SUFFIX = "+ucag";

    public EvaluationOptions {
        List<String> names = new ArrayList<>(new LinkedHashSet<>(methods.stream()
                .map(m -> m.trim().toLowerCase(Locale.ROOT)).filter(m -> !m.isEmpty()).toList()));
        if (names.isEmpty()) {
            throw new IllegalArgumentException("--methods names no method");
        }
        methods = List.copyOf(names);
        metrics = Set.copyOf(metrics);
        if (metrics.isEmpty()) {
            throw new IllegalArgumentException("--metrics names no metric");
        }
        if (tolerance < 0) {
            throw new IllegalArgumentException("--tolerance must be >= 0, got " + tolerance);
        }
        if (limit < 0) {
            throw new IllegalArgumentException("--limit must be >= 0, got " + limit);
        }
        if (galleryRows < 0) {
            throw new IllegalArgumentException("--gallery must be >= 0, got " + galleryRows);
        }
        for (String m : methods) {
            explainer(m, layer, ucag); // unknown names fail before any work
        }
    }

    /** The explainer called {@code name} ({@code gradcam}, {@code gradcam+ucag}, ...). */
    public static Explainer explainer(String name, String layer, UcagOptions ucag) {
        if (name.endsWith(UCAG_SUFFIX)) {
            if (ucag == null) {
                throw new IllegalArgumentException(name + ": no UCAG options");
            }
            return new Ucag(Methods.create(name.substring(0, name.length() - UCAG_SUFFIX.length()), layer), ucag);
        }
        return Methods.create(name, layer);
    }

    public boolean has(Metric m) {
        return metrics.contains(m);
    }
}
