package io.ucag.eval.metrics;

import io.ucag.models.Model;
import io.ucag.runtime.FastConvolutions;
import io.ucag.runtime.Tensor;

/** What the metrics need of a network: logits (N, classes) of a preprocessed batch (N, 3, H, W) on its device. */
@FunctionalInterface
public interface Classifier {
    Tensor logits(Tensor images);

    /** The model's forward pass, allowed fast convolutions: the games only rank and score images. */
    static Classifier of(Model model) {
        return images -> {
            try (FastConvolutions fast = FastConvolutions.allow()) {
                return model.forward(images);
            }
        };
    }
}
