package io.ucag.explain.relative;

import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.Conv2dParams;
import io.ucag.runtime.relevance.AffineOp;

/**
 * The transposed convolution ({@link Device#conv2dBackwardInput}) of the relative rules, through the LRP engine's
 * {@link AffineOp.Convolution#transpose}: stride-1 and 1x1 layers run it as a forward convolution, which is exact
 * and several times faster on this project's devices.
 */
final class Transposed {
    private Transposed() {
    }

    /** {@code conv2dBackwardInput(s, weight, inputShape, p)}. */
    static Tensor of(Device d, Tensor s, Tensor weight, Shape inputShape, Conv2dParams p) {
        return new AffineOp.Convolution(p).transpose(d, s, weight, inputShape);
    }
}
