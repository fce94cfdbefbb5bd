package io.ucag.runtime.java;

import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.*;
import java.util.List;

/** STUB: to be implemented. */
final class JavaReductions {
    private JavaReductions() {
    }

    static Tensor softmax(JavaDevice d, Tensor x, int axis) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    static Tensor reduce(JavaDevice d, Tensor x, ReduceOp op, int[] axes, boolean keepDims) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
