package io.ucag.api;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * One class of a classification: its index, its name (ImageNet's for 1000-class networks, else
 * {@code class <index>}) and its softmax probability in [0, 1].
 *
 * @param classIndex  the logit's index, 0-based
 * @param className   a readable name
 * @param probability softmax(logits)[classIndex]
 */
public record Prediction(int classIndex, String className, float probability) {
    /** Checks the fields. */
    public Prediction {
        if (classIndex < 0 || className == null || !(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("a prediction needs a class >= 0, a name and a probability in "
                    + "[0, 1], got " + classIndex + ", " + className + ", " + probability);
        }
    }

    /** The {@code k} most probable classes of one row of probabilities, most probable first. */
    public static List<Prediction> top(float[] probabilities, int k, IntFunction<String> names) {
        if (k < 1) {
            throw new IllegalArgumentException("top-k needs k >= 1, got " + k);
        }
        List<Prediction> out = new ArrayList<>();
        for (int i : TopK.indices(probabilities, 0, probabilities.length, k)) {
            out.add(new Prediction(i, names.apply(i), probabilities[i]));
        }
        return List.copyOf(out);
    }
}
