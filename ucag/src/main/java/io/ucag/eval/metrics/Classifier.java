package io.ucag.eval.metrics;

import io.ucag.models.Model;
import io.ucag.runtime.Tensor;

/** What the metrics need of a network: logits (N, classes) of a preprocessed batch (N, 3, H, W) on its device. */
@FunctionalInterface
public interface Classifier {
    Tensor logits(Tensor images);

    static Classifier of(Model model) {
        return model::forward;
    }
}
