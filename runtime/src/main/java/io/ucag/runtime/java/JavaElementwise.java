package io.ucag.runtime.java;

import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.*;
import java.util.List;

/** STUB: to be implemented. */
final class JavaElementwise {
    private JavaElementwise() {
    }

    static Tensor batchNorm(JavaDevice d, Tensor x, Tensor mean, Tensor var, Tensor gamma, Tensor beta, float eps) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    static Tensor relu(JavaDevice d, Tensor x) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    static Tensor add(JavaDevice d, Tensor a, Tensor b) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    static Tensor mul(JavaDevice d, Tensor a, Tensor b) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    static Tensor scale(JavaDevice d, Tensor x, float factor) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    static Tensor exp(JavaDevice d, Tensor x) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    static Tensor clamp(JavaDevice d, Tensor x, float min, float max) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
