package io.ucag.kernels.opencl;

import io.ucag.runtime.GradShapes;
import io.ucag.runtime.OpShapes;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.java.AdjointTaps;
import io.ucag.runtime.ops.ResizeMode;

/**
 * Gradients of resize and gaussian blur on OpenCL ({@code resize_backward.cl}): the transposed tap tables of
 * {@link AdjointTaps} (the forward's own coefficients) are uploaded and gathered along the width, then along
 * the height, exactly as the Java backend does; sums run in float.
 */
final class ClResamplingBackward {
    private static final String FILE = "resize_backward.cl";

    private ClResamplingBackward() {
    }

    static Tensor resizeBackward(ClDevice d, Tensor gradOut, Shape inputShape, ResizeMode mode) {
        Shape s = GradShapes.resizeBackward(gradOut, inputShape);
        Shape gs = gradOut.shape();
        AdjointTaps rows = AdjointTaps.ofResize(mode, s.dim(-2), gs.dim(-2));
        AdjointTaps cols = AdjointTaps.ofResize(mode, s.dim(-1), gs.dim(-1));
        return separableAdjoint(d, gradOut, s, rows, cols);
    }

    static Tensor gaussianBlurBackward(ClDevice d, Tensor gradOut, int kernelSize, float sigma) {
        Shape s = GradShapes.gaussianBlurBackward(gradOut, kernelSize, sigma);
        float[] kernel = OpShapes.gaussianKernel(kernelSize, sigma);
        return separableAdjoint(d, gradOut, s, AdjointTaps.ofBlur(s.dim(-2), kernel),
                AdjointTaps.ofBlur(s.dim(-1), kernel));
    }

    /** gradIn (planes, h, w) from gradOut (planes, outH, outW): width gather into a temporary, then height. */
    private static Tensor separableAdjoint(ClDevice d, Tensor gradOut, Shape inputShape, AdjointTaps rows,
                                           AdjointTaps cols) {
        Shape gs = gradOut.shape();
        int outH = gs.dim(-2);
        int outW = gs.dim(-1);
        int h = inputShape.dim(-2);
        int w = inputShape.dim(-1);
        int planes = gs.size(0, gs.rank() - 2);
        Tensor gradIn = d.allocate(inputShape);
        // released right after queuing: OpenCL keeps the memory until the kernels that use it have run
        try (Tensor colTable = upload(d, cols); Tensor rowTable = upload(d, rows);
             Tensor across = d.allocate(Shape.of(planes, outH, w))) {
            d.kernel(FILE, "adjointAlongWidth").launch(new long[] {w, (long) planes * outH}, null,
                    planes * outH, outW, w, cols.first(w), colTable, gradOut, across);
            d.kernel(FILE, "adjointAlongHeight").launch(new long[] {w, h, planes}, null,
                    planes, outH, h, w, rows.first(h), rowTable, across, gradIn);
        }
        return gradIn;
    }

    private static Tensor upload(ClDevice d, AdjointTaps taps) {
        float[] packed = taps.packed();
        return d.fromArray(Shape.of(packed.length), packed);
    }
}
