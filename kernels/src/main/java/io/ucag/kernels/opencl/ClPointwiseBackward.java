package io.ucag.kernels.opencl;

import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.*;

/** STUB: to be implemented (backward issue). */
final class ClPointwiseBackward {
    private ClPointwiseBackward() {
    }

    static Tensor reluBackward(ClDevice d, Tensor gradOut, Tensor output) {
        throw new UnsupportedOperationException("reluBackward: not implemented yet");
    }

    static Tensor clampBackward(ClDevice d, Tensor gradOut, Tensor input, float min, float max) {
        throw new UnsupportedOperationException("clampBackward: not implemented yet");
    }

    static Tensor softmaxBackward(ClDevice d, Tensor gradOut, Tensor output, int axis) {
        throw new UnsupportedOperationException("softmaxBackward: not implemented yet");
    }

    static Tensor maxReduceBackward(ClDevice d, Tensor gradOut, Tensor input, Tensor output, int[] axes) {
        throw new UnsupportedOperationException("maxReduceBackward: not implemented yet");
    }
}
