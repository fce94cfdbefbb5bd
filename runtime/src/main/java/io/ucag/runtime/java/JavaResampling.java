package io.ucag.runtime.java;

import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.*;
import java.util.List;

/** STUB: to be implemented. */
final class JavaResampling {
    private JavaResampling() {
    }

    static Tensor resize(JavaDevice d, Tensor x, int outH, int outW, ResizeMode mode) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    static Tensor gaussianBlur(JavaDevice d, Tensor x, int kernelSize, float sigma) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
