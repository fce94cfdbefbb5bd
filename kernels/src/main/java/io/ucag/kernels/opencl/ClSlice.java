package io.ucag.kernels.opencl;

import io.ucag.runtime.GradShapes;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;

/** Launcher of slice.cl: {@code x.narrow(axis, start, length)} as a new tensor. */
final class ClSlice {
    private ClSlice() {
    }

    static Tensor slice(ClDevice d, Tensor x, int axis, int start, int length) {
        Shape ys = GradShapes.slice(x, axis, start, length);
        Shape xs = x.shape();
        int a = xs.normalizeAxis(axis);
        int inner = xs.size(a + 1, xs.rank());
        Tensor result = d.allocate(ys);
        d.kernel("slice.cl", "slice_copy").launch(new long[] {ys.numel()}, null, x, result, xs.dim(a) * inner,
                length * inner, start * inner, ys.numel());
        return result;
    }
}
