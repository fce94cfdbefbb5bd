package io.ucag.runtime.java;

import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.*;
import java.util.List;

/** STUB: to be implemented. */
final class JavaLayout {
    private JavaLayout() {
    }

    static Tensor concat(JavaDevice d, List<Tensor> tensors, int axis) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    static Tensor crop(JavaDevice d, Tensor x, int top, int left, int height, int width) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    static Tensor pad(JavaDevice d, Tensor x, int top, int bottom, int left, int right, float value) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
