package io.ucag.kernels.opencl;

import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.*;

/** STUB: to be implemented (backward issue). */
final class ClPoolingBackward {
    private ClPoolingBackward() {
    }

    static Tensor maxPool2dBackward(ClDevice d, Tensor gradOut, Tensor input, Pool2dParams params) {
        throw new UnsupportedOperationException("maxPool2dBackward: not implemented yet");
    }

    static Tensor avgPool2dBackward(ClDevice d, Tensor gradOut, Shape inputShape, Pool2dParams params, boolean countIncludePad) {
        throw new UnsupportedOperationException("avgPool2dBackward: not implemented yet");
    }

    static Tensor adaptiveAvgPool2dBackward(ClDevice d, Tensor gradOut, Shape inputShape) {
        throw new UnsupportedOperationException("adaptiveAvgPool2dBackward: not implemented yet");
    }
}
