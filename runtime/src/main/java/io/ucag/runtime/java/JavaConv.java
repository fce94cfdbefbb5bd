package io.ucag.runtime.java;

import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.*;
import java.util.List;

/** STUB: to be implemented. */
final class JavaConv {
    private JavaConv() {
    }

    static Tensor conv2d(JavaDevice d, Tensor x, Tensor weight, Tensor bias, Conv2dParams p) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    static Tensor linear(JavaDevice d, Tensor x, Tensor weight, Tensor bias) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
