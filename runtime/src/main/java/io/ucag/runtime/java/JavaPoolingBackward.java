package io.ucag.runtime.java;

import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.*;

/** STUB: to be implemented (backward issue). */
final class JavaPoolingBackward {
    private JavaPoolingBackward() {
    }

    static Tensor maxPool2dBackward(JavaDevice d, Tensor gradOut, Tensor input, Pool2dParams params) {
        throw new UnsupportedOperationException("maxPool2dBackward: not implemented yet");
    }

    static Tensor avgPool2dBackward(JavaDevice d, Tensor gradOut, Shape inputShape, Pool2dParams params, boolean countIncludePad) {
        throw new UnsupportedOperationException("avgPool2dBackward: not implemented yet");
    }

    static Tensor adaptiveAvgPool2dBackward(JavaDevice d, Tensor gradOut, Shape inputShape) {
        throw new UnsupportedOperationException("adaptiveAvgPool2dBackward: not implemented yet");
    }
}
