package io.ucag.models;

import io.ucag.runtime.Tensor;

/**
 * Sees the output of every named layer during a forward pass, like a PyTorch forward hook. The tensor is
 * released once the forward pass has moved past it: call {@link Tensor#share()} to keep it, or
 * {@code tape.watch(output)} to get its gradient.
 */
@FunctionalInterface
public interface ActivationHook {
    /** Observes nothing, so the forward pass may fuse every convolution with the batch norm after it. */
    ActivationHook NONE = new ActivationHook() {
        @Override
        public void onOutput(String layerName, Tensor output) {
        }

        @Override
        public boolean observes(String layerName) {
            return false;
        }
    };

    void onOutput(String layerName, Tensor output);

    /**
     * Whether this hook needs the output of {@code layerName} itself. A convolution whose output nobody observes
     * is fused with the batch norm after it (BN folded into its weights), and the hook then never sees it; the
     * batch norm's output is still reported. Default: every layer is observed, nothing is fused.
     */
    default boolean observes(String layerName) {
        return true;
    }

    /** A hook that sees only the layer {@code layerName} (every call of it), leaving all else free to fuse. */
    static ActivationHook only(String layerName, ActivationHook hook) {
        return new ActivationHook() {
            @Override
            public void onOutput(String name, Tensor output) {
                if (name.equals(layerName)) {
                    hook.onOutput(name, output);
                }
            }

            @Override
            public boolean observes(String name) {
                return name.equals(layerName);
            }
        };
    }
}
