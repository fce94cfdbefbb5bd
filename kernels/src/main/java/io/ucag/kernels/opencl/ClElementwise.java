package io.ucag.kernels.opencl;

import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.*;
import java.util.List;

/** STUB: to be implemented. */
final class ClElementwise {
    private ClElementwise() {
    }

    static Tensor batchNorm(ClDevice d, Tensor x, Tensor mean, Tensor var, Tensor gamma, Tensor beta, float eps) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    static Tensor relu(ClDevice d, Tensor x) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    static Tensor add(ClDevice d, Tensor a, Tensor b) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    static Tensor mul(ClDevice d, Tensor a, Tensor b) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    static Tensor scale(ClDevice d, Tensor x, float factor) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    static Tensor exp(ClDevice d, Tensor x) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    static Tensor clamp(ClDevice d, Tensor x, float min, float max) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
