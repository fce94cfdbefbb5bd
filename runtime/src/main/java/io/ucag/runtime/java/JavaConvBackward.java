package io.ucag.runtime.java;

import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.*;

/** STUB: to be implemented (backward issue). */
final class JavaConvBackward {
    private JavaConvBackward() {
    }

    static Tensor conv2dBackwardInput(JavaDevice d, Tensor gradOut, Tensor weight, Shape inputShape, Conv2dParams params) {
        throw new UnsupportedOperationException("conv2dBackwardInput: not implemented yet");
    }

    static Tensor conv2dBackwardWeight(JavaDevice d, Tensor gradOut, Tensor input, int kernelH, int kernelW, Conv2dParams params) {
        throw new UnsupportedOperationException("conv2dBackwardWeight: not implemented yet");
    }

    static Tensor matmul(JavaDevice d, Tensor a, Tensor b, boolean transposeA, boolean transposeB) {
        throw new UnsupportedOperationException("matmul: not implemented yet");
    }
}
