package io.ucag.runtime.autograd;

import io.ucag.runtime.Tensor;
import java.util.IdentityHashMap;
import java.util.Map;

/** The gradients one {@link Tape#backward} computed, one per watched tensor; closing releases them all. */
public final class Gradients implements AutoCloseable {
    private final Map<Tensor, Tensor> byTensor; // watched tensor -> its gradient (same shape)

    Gradients(Map<Tensor, Tensor> byTensor) {
        this.byTensor = new IdentityHashMap<>(byTensor);
    }

    /**
     * The gradient of the backward seed's output with respect to {@code watched}. A watched tensor the
     * output does not depend on has a zero gradient; a tensor that was never watched is an error.
     */
    public Tensor of(Tensor watched) {
        Tensor g = byTensor.get(watched);
        if (g == null) {
            throw new IllegalArgumentException("no gradient for " + watched
                    + ": only tensors passed to Tape.watch before the ops get gradients");
        }
        return g;
    }

    @Override
    public void close() {
        byTensor.values().forEach(Tensor::close);
        byTensor.clear();
    }
}
