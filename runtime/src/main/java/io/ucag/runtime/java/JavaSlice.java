package io.ucag.runtime.java;

import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.*;

/** STUB: to be implemented (backward issue). */
final class JavaSlice {
    private JavaSlice() {
    }

    static Tensor slice(JavaDevice d, Tensor x, int axis, int start, int length) {
        throw new UnsupportedOperationException("slice: not implemented yet");
    }
}
