package io.ucag.eval.run;

import io.ucag.weights.json.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One line of {@code results.jsonl}: one method on one sample (image, class), with every metric asked for.
 *
 * @param image             the image file name
 * @param label             the ground-truth class of the sample
 * @param method            e.g. {@code gradcam} or {@code gradcam+ucag}
 * @param target            the class explained and scored (the label, or the prediction with --target predicted)
 * @param predicted         the model's top-1 class on the image
 * @param targetProbability softmax probability of the target on the image
 * @param scores            the metric values; a null value means not applicable (no ground truth, empty map)
 * @param deletionCurve     s_0..s_N of the deletion game, or null
 * @param insertionCurve    s_0..s_N of the insertion game, or null
 * @param explainSeconds    time to explain
 * @param metricSeconds     time to compute the metrics
 */
public record ResultRecord(String image, int label, String method, int target, int predicted,
                           double targetProbability, Map<Score, Double> scores, float[] deletionCurve,
                           float[] insertionCurve, double explainSeconds, double metricSeconds) {
    public ResultRecord {
        EnumMap<Score, Double> copy = new EnumMap<>(Score.class);
        scores.forEach((s, v) -> copy.put(s, v == null || Double.isNaN(v) ? null : v));
        scores = Collections.unmodifiableMap(copy);
    }

    /** What identifies a line for resuming: (image, class, method). */
    public static String key(String image, int label, String method) {
        return image + '\t' + label + '\t' + method;
    }

    public String key() {
        return key(image, label, method);
    }

    /** The sample, without the method: pairs a method's line with another method's on the same sample. */
    public String sampleKey() {
        return image + '\t' + label;
    }

    /** The value of {@code s}, or null when not computed or not applicable. */
    public Double score(Score s) {
        return scores.get(s);
    }

    /** One line of compact JSON, without the newline. */
    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("image", image);
        m.put("label", label);
        m.put("method", method);
        m.put("target", target);
        m.put("predicted", predicted);
        m.put("p_target", targetProbability);
        for (Map.Entry<Score, Double> e : scores.entrySet()) {
            m.put(e.getKey().key(), e.getValue());
        }
        if (deletionCurve != null) {
            m.put("deletion_curve", decimals(deletionCurve));
        }
        if (insertionCurve != null) {
            m.put("insertion_curve", decimals(insertionCurve));
        }
        m.put("explain_s", Math.round(explainSeconds * 1000) / 1000.0);
        m.put("metrics_s", Math.round(metricSeconds * 1000) / 1000.0);
        return Json.write(m);
    }

    /** Parses a line written by {@link #toJson}; throws IllegalArgumentException naming what is wrong. */
    public static ResultRecord parse(String line) {
        Object parsed;
        try {
            parsed = Json.parse(line);
        } catch (Json.JsonException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (!(parsed instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("not a JSON object");
        }
        EnumMap<Score, Double> scores = new EnumMap<>(Score.class);
        for (Score s : Score.values()) {
            if (m.containsKey(s.key())) {
                Object v = m.get(s.key());
                scores.put(s, v == null ? null : number(m, s.key()));
            }
        }
        return new ResultRecord(string(m, "image"), (int) number(m, "label"), string(m, "method"),
                (int) number(m, "target"), (int) number(m, "predicted"), number(m, "p_target"), scores,
                curve(m.get("deletion_curve")), curve(m.get("insertion_curve")), number(m, "explain_s"),
                number(m, "metrics_s"));
    }

    private static List<Double> decimals(float[] values) {
        List<Double> out = new ArrayList<>(values.length);
        for (float v : values) {
            out.add(Double.parseDouble(Float.toString(v))); // the shortest decimal that reads back as v
        }
        return out;
    }

    private static float[] curve(Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof List<?> l)) {
            throw new IllegalArgumentException("a curve is not a JSON array");
        }
        float[] out = new float[l.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(l.get(i) instanceof Number n)) {
                throw new IllegalArgumentException("a curve holds a non-number");
            }
            out[i] = n.floatValue();
        }
        return out;
    }

    private static String string(Map<?, ?> m, String key) {
        if (!(m.get(key) instanceof String s)) {
            throw new IllegalArgumentException("'" + key + "' is missing or not a string");
        }
        return s;
    }

    private static double number(Map<?, ?> m, String key) {
        if (!(m.get(key) instanceof Number n)) {
            throw new IllegalArgumentException("'" + key + "' is missing or not a number");
        }
        return n.doubleValue();
    }
}
