package io.ucag.kernels.opencl;

import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.*;
import java.util.List;

/** STUB: to be implemented. */
final class ClConv {
    private ClConv() {
    }

    static Tensor conv2d(ClDevice d, Tensor x, Tensor weight, Tensor bias, Conv2dParams p) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    static Tensor linear(ClDevice d, Tensor x, Tensor weight, Tensor bias) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
