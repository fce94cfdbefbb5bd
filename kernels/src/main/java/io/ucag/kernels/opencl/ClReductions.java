package io.ucag.kernels.opencl;

import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.*;
import java.util.List;

/** STUB: to be implemented. */
final class ClReductions {
    private ClReductions() {
    }

    static Tensor softmax(ClDevice d, Tensor x, int axis) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    static Tensor reduce(ClDevice d, Tensor x, ReduceOp op, int[] axes, boolean keepDims) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
