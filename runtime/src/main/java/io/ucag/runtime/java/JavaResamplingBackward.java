package io.ucag.runtime.java;

import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.*;

/** STUB: to be implemented (backward issue). */
final class JavaResamplingBackward {
    private JavaResamplingBackward() {
    }

    static Tensor resizeBackward(JavaDevice d, Tensor gradOut, Shape inputShape, ResizeMode mode) {
        throw new UnsupportedOperationException("resizeBackward: not implemented yet");
    }

    static Tensor gaussianBlurBackward(JavaDevice d, Tensor gradOut, int kernelSize, float sigma) {
        throw new UnsupportedOperationException("gaussianBlurBackward: not implemented yet");
    }
}
