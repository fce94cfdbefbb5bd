package io.ucag.eval.metrics;

import io.ucag.runtime.Device;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;

/** Runs generated images through a classifier in micro-batches; keeps one class's softmax probability. */
final class ClassScores {
    /** Builds the micro-batch of images {@code [from, from + size)}, shaped (size, 3, H, W), on the device. */
    @FunctionalInterface
    interface Batches {
        Tensor images(int from, int size);
    }

    private ClassScores() {
    }

    /**
     * softmax(logits)[target] of {@code count} images made by {@code batches}, at most {@code batch} per forward
     * pass; each micro-batch's tensors are freed before the next one is built.
     */
    static float[] probabilities(Device d, Classifier net, int count, int batch, int target, Batches batches) {
        if (batch < 1) {
            throw new IllegalArgumentException("the metric batch size must be >= 1, got " + batch);
        }
        float[] scores = new float[count];
        for (int from = 0; from < count; from += batch) {
            int size = Math.min(batch, count - from);
            try (TensorScope scope = TensorScope.open()) {
                Tensor logits = net.logits(batches.images(from, size));
                int classes = logits.shape().dim(1);
                if (target < 0 || target >= classes) {
                    throw new IllegalArgumentException("class " + target + " is outside the model's 0.."
                            + (classes - 1));
                }
                float[] p = d.softmax(logits, 1).toArray();
                for (int i = 0; i < size; i++) {
                    scores[from + i] = p[i * classes + target];
                }
            }
        }
        return scores;
    }
}
