package io.ucag.kernels.opencl;

import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.*;

/** STUB: to be implemented (backward issue). */
final class ClSlice {
    private ClSlice() {
    }

    static Tensor slice(ClDevice d, Tensor x, int axis, int start, int length) {
        throw new UnsupportedOperationException("slice: not implemented yet");
    }
}
