package io.ucag.kernels.opencl;

import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.*;

/** STUB: to be implemented (backward issue). */
final class ClConvBackward {
    private ClConvBackward() {
    }

    static Tensor conv2dBackwardInput(ClDevice d, Tensor gradOut, Tensor weight, Shape inputShape, Conv2dParams params) {
        throw new UnsupportedOperationException("conv2dBackwardInput: not implemented yet");
    }

    static Tensor conv2dBackwardWeight(ClDevice d, Tensor gradOut, Tensor input, int kernelH, int kernelW, Conv2dParams params) {
        throw new UnsupportedOperationException("conv2dBackwardWeight: not implemented yet");
    }

    static Tensor matmul(ClDevice d, Tensor a, Tensor b, boolean transposeA, boolean transposeB) {
        throw new UnsupportedOperationException("matmul: not implemented yet");
    }
}
