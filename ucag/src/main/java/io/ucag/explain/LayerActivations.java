package io.ucag.explain;

import io.ucag.models.ActivationHook;
import io.ucag.models.Model;
import io.ucag.runtime.Tensor;

/**
 * One plain forward pass (no autograd) that keeps the output of one layer; closing releases both tensors.
 *
 * @param activations the layer's output, e.g. (N,C,h,w)
 * @param logits      (N, classes)
 */
record LayerActivations(Tensor activations, Tensor logits) implements AutoCloseable {
    /** Runs {@code model} on {@code images} keeping the output of {@code layer} (null: the default CAM layer). */
    static LayerActivations capture(Model model, String layer, Tensor images) {
        String target = layer != null ? layer : model.spec().defaultCamLayer();
        model.layer(target); // fails early, naming the valid choices
        Tensor[] kept = new Tensor[1];
        Tensor logits;
        try {
            logits = model.forward(model.device(), images, ActivationHook.only(target, (name, output) -> {
                if (kept[0] != null) { // a module called several times (a shared ReLU): the last call counts
                    kept[0].close();
                }
                kept[0] = output.share();
            }));
        } catch (RuntimeException e) {
            if (kept[0] != null) {
                kept[0].close();
            }
            throw e;
        }
        return new LayerActivations(kept[0], logits.share());
    }

    @Override
    public void close() {
        activations.close();
        logits.close();
    }
}
