package io.ucag.kernels.opencl;

import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.*;
import java.util.List;

/** STUB: to be implemented. */
final class ClPooling {
    private ClPooling() {
    }

    static Tensor maxPool2d(ClDevice d, Tensor x, Pool2dParams p) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    static Tensor avgPool2d(ClDevice d, Tensor x, Pool2dParams p, boolean countIncludePad) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    static Tensor adaptiveAvgPool2d(ClDevice d, Tensor x, int outH, int outW) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
