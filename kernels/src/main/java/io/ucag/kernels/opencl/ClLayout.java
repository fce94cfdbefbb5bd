package io.ucag.kernels.opencl;

import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.*;
import java.util.List;

/** STUB: to be implemented. */
final class ClLayout {
    private ClLayout() {
    }

    static Tensor concat(ClDevice d, List<Tensor> tensors, int axis) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    static Tensor crop(ClDevice d, Tensor x, int top, int left, int height, int width) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    static Tensor pad(ClDevice d, Tensor x, int top, int bottom, int left, int right, float value) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
