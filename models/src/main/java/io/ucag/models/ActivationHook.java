package io.ucag.models;

import io.ucag.runtime.Tensor;

/**
 * Sees the output of every named layer during a forward pass, like a PyTorch forward hook. The tensor is
 * released once the forward pass has moved past it: call {@link Tensor#share()} to keep it, or
 * {@code tape.watch(output)} to get its gradient.
 */
@FunctionalInterface
public interface ActivationHook {
    ActivationHook NONE = (name, output) -> { };

    void onOutput(String layerName, Tensor output);
}
