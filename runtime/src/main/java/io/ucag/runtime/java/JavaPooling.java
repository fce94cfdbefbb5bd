package io.ucag.runtime.java;

import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.*;
import java.util.List;

/** STUB: to be implemented. */
final class JavaPooling {
    private JavaPooling() {
    }

    static Tensor maxPool2d(JavaDevice d, Tensor x, Pool2dParams p) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    static Tensor avgPool2d(JavaDevice d, Tensor x, Pool2dParams p, boolean countIncludePad) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    static Tensor adaptiveAvgPool2d(JavaDevice d, Tensor x, int outH, int outW) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
