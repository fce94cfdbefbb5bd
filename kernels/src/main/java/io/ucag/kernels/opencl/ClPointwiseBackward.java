package io.ucag.kernels.opencl;

import io.ucag.runtime.GradShapes;
import io.ucag.runtime.OpShapes;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import java.util.Arrays;

/**
 * Launchers of pointwise_backward.cl (relu, clamp, softmax and max-reduce gradients), with the semantics of the
 * Java reference {@code JavaPointwiseBackward}.
 */
final class ClPointwiseBackward {
    private static final String FILE = "pointwise_backward.cl";
    /** The rank the max-reduction kernels index (their MAX_RANK). */
    private static final int KERNEL_RANK = 6;

    private ClPointwiseBackward() {
    }

    static Tensor reluBackward(ClDevice d, Tensor gradOut, Tensor output) {
        Shape s = GradShapes.sameShape("reluBackward", gradOut, output);
        Tensor result = d.allocate(s);
        d.kernel(FILE, "relu_backward").launch(new long[] {s.numel()}, null, gradOut, output, result, s.numel());
        return result;
    }

    static Tensor clampBackward(ClDevice d, Tensor gradOut, Tensor input, float min, float max) {
        Shape s = GradShapes.sameShape("clampBackward", gradOut, input);
        if (Float.isNaN(min) || Float.isNaN(max) || min > max) {
            throw OpShapes.error("clampBackward", "needs min <= max, got [" + min + ", " + max + "] for " + s);
        }
        Tensor result = d.allocate(s);
        d.kernel(FILE, "clamp_backward").launch(new long[] {s.numel()}, null, gradOut, input, result, min, max,
                s.numel());
        return result;
    }

    static Tensor softmaxBackward(ClDevice d, Tensor gradOut, Tensor output, int axis) {
        Shape s = GradShapes.sameShape("softmaxBackward", gradOut, output);
        int a;
        try {
            a = s.normalizeAxis(axis);
        } catch (IllegalArgumentException e) {
            throw OpShapes.error("softmaxBackward", e.getMessage());
        }
        int inner = s.size(a + 1, s.rank());
        int rows = s.size(0, a) * inner;
        Tensor result = d.allocate(s);
        d.kernel(FILE, "softmax_backward").launch(new long[] {rows}, null, gradOut, output, result, rows, s.dim(a),
                inner);
        return result;
    }

    static Tensor maxReduceBackward(ClDevice d, Tensor gradOut, Tensor input, Tensor output, int[] axes) {
        Shape xs = GradShapes.maxReduceBackward(gradOut, input, output, axes);
        int[] sorted = OpShapes.reduceAxes(input, axes);
        int pad = KERNEL_RANK - xs.rank();
        int[] dims = new int[KERNEL_RANK];
        Arrays.fill(dims, 1);
        System.arraycopy(xs.dims(), 0, dims, pad, xs.rank());
        int reducedMask = 0;
        int groupSize = 1;
        for (int a : sorted) {
            reducedMask |= 1 << (a + pad);
            groupSize *= xs.dim(a);
        }
        int groups = output.shape().numel();
        try (Tensor ties = d.allocate(output.shape())) { // int counts in a buffer of the keep-dims size
            d.kernel(FILE, "max_reduce_ties").launch(new long[] {groups}, null, input, output, ties,
                    dims[0], dims[1], dims[2], dims[3], dims[4], dims[5], reducedMask, groupSize, groups);
            Tensor result = d.allocate(xs);
            d.kernel(FILE, "max_reduce_backward").launch(new long[] {xs.numel()}, null, gradOut, input, output, ties,
                    result, dims[0], dims[1], dims[2], dims[3], dims[4], dims[5], reducedMask, xs.numel());
            return result;
        }
    }
}
