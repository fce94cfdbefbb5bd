package io.ucag.kernels.opencl;

import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.*;

/** STUB: to be implemented (backward issue). */
final class ClResamplingBackward {
    private ClResamplingBackward() {
    }

    static Tensor resizeBackward(ClDevice d, Tensor gradOut, Shape inputShape, ResizeMode mode) {
        throw new UnsupportedOperationException("resizeBackward: not implemented yet");
    }

    static Tensor gaussianBlurBackward(ClDevice d, Tensor gradOut, int kernelSize, float sigma) {
        throw new UnsupportedOperationException("gaussianBlurBackward: not implemented yet");
    }
}
