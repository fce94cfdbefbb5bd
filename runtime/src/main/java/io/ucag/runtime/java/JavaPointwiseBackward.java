package io.ucag.runtime.java;

import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.*;

/** STUB: to be implemented (backward issue). */
final class JavaPointwiseBackward {
    private JavaPointwiseBackward() {
    }

    static Tensor reluBackward(JavaDevice d, Tensor gradOut, Tensor output) {
        throw new UnsupportedOperationException("reluBackward: not implemented yet");
    }

    static Tensor clampBackward(JavaDevice d, Tensor gradOut, Tensor input, float min, float max) {
        throw new UnsupportedOperationException("clampBackward: not implemented yet");
    }

    static Tensor softmaxBackward(JavaDevice d, Tensor gradOut, Tensor output, int axis) {
        throw new UnsupportedOperationException("softmaxBackward: not implemented yet");
    }

    static Tensor maxReduceBackward(JavaDevice d, Tensor gradOut, Tensor input, Tensor output, int[] axes) {
        throw new UnsupportedOperationException("maxReduceBackward: not implemented yet");
    }
}
