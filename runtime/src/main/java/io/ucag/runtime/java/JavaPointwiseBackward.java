package io.ucag.runtime.java;

import io.ucag.runtime.GradShapes;
import io.ucag.runtime.OpShapes;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;

/** Gradients of relu, clamp, softmax and a max reduction, with PyTorch's formulas (and its NaN behaviour). */
final class JavaPointwiseBackward {
    private JavaPointwiseBackward() {
    }

    /**
     * PyTorch's {@code threshold_backward}: 0 where {@code output <= 0}, else gradOut. A NaN output (from a NaN
     * input) is not {@code <= 0}, so its gradient passes.
     */
    static Tensor reluBackward(JavaDevice d, Tensor gradOut, Tensor output) {
        Shape s = GradShapes.sameShape("reluBackward", gradOut, output);
        float[] g = d.data(gradOut);
        float[] y = d.data(output);
        Tensor result = d.allocate(s);
        float[] dx = d.data(result);
        d.loop().forRange(s.numel(), 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                dx[i] = y[i] <= 0 ? 0f : g[i];
            }
        });
        return result;
    }

    /** gradOut where {@code min <= input <= max}, else 0; a NaN input gets 0 (PyTorch's {@code clamp_backward}). */
    static Tensor clampBackward(JavaDevice d, Tensor gradOut, Tensor input, float min, float max) {
        Shape s = GradShapes.sameShape("clampBackward", gradOut, input);
        if (Float.isNaN(min) || Float.isNaN(max) || min > max) {
            throw OpShapes.error("clampBackward", "needs min <= max, got [" + min + ", " + max + "] for " + s);
        }
        float[] g = d.data(gradOut);
        float[] x = d.data(input);
        Tensor result = d.allocate(s);
        float[] dx = d.data(result);
        d.loop().forRange(s.numel(), 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                dx[i] = x[i] >= min && x[i] <= max ? g[i] : 0f;
            }
        });
        return result;
    }

    /** {@code y * (g - sum(g * y, axis))} per softmax row, the sum accumulated in float along the axis. */
    static Tensor softmaxBackward(JavaDevice d, Tensor gradOut, Tensor output, int axis) {
        Shape s = GradShapes.sameShape("softmaxBackward", gradOut, output);
        int a;
        try {
            a = s.normalizeAxis(axis);
        } catch (IllegalArgumentException e) {
            throw OpShapes.error("softmaxBackward", e.getMessage());
        }
        int outer = s.size(0, a);
        int len = s.dim(a);
        int inner = s.size(a + 1, s.rank());
        float[] g = d.data(gradOut);
        float[] y = d.data(output);
        Tensor result = d.allocate(s);
        float[] dx = d.data(result);
        d.loop().forRange(outer * inner, 3L * len, (from, to) -> {
            for (int row = from; row < to; row++) {
                int base = (row / inner) * len * inner + row % inner;
                float dot = 0;
                for (int j = 0; j < len; j++) {
                    dot += g[base + j * inner] * y[base + j * inner];
                }
                for (int j = 0; j < len; j++) {
                    int i = base + j * inner;
                    dx[i] = y[i] * (g[i] - dot);
                }
            }
        });
        return result;
    }

    /**
     * PyTorch's {@code amax} backward: with m the number of elements of a group equal to its maximum y,
     * each element gets {@code (g / m) * (x == y ? 1 : 0)}. A NaN maximum matches nothing (m = 0), so its
     * whole group gets NaN, as in PyTorch. gradOut and output have the keep-dims shape.
     */
    static Tensor maxReduceBackward(JavaDevice d, Tensor gradOut, Tensor input, Tensor output, int[] axes) {
        Shape xs = GradShapes.maxReduceBackward(gradOut, input, output, axes);
        int[] keepStrides = keepStrides(xs, OpShapes.reduceAxes(input, axes));
        int[] dims = xs.dims();
        float[] x = d.data(input);
        float[] y = d.data(output);
        float[] g = d.data(gradOut);
        int[] ties = new int[y.length];
        for (int i = 0; i < x.length; i++) { // one thread: groups interleave in memory
            int k = keepIndex(i, dims, keepStrides);
            if (x[i] == y[k]) {
                ties[k]++;
            }
        }
        Tensor result = d.allocate(xs);
        float[] dx = d.data(result);
        d.loop().forRange(x.length, 8, (from, to) -> {
            for (int i = from; i < to; i++) {
                int k = keepIndex(i, dims, keepStrides);
                dx[i] = (g[k] / ties[k]) * (x[i] == y[k] ? 1f : 0f);
            }
        });
        return result;
    }

    /** Row-major strides of the keep-dims shape, 0 on the reduced axes (so they drop out of the index). */
    private static int[] keepStrides(Shape xs, int[] sortedAxes) {
        int[] strides = new int[xs.rank()];
        int stride = 1;
        for (int a = xs.rank() - 1; a >= 0; a--) {
            boolean reduced = java.util.Arrays.binarySearch(sortedAxes, a) >= 0;
            strides[a] = reduced ? 0 : stride;
            stride *= reduced ? 1 : xs.dim(a);
        }
        return strides;
    }

    /** Index in the keep-dims tensor of input element {@code i}. */
    private static int keepIndex(int i, int[] dims, int[] keepStrides) {
        int k = 0;
        for (int a = dims.length - 1; a >= 0; a--) {
            k += (i % dims[a]) * keepStrides[a];
            i /= dims[a];
        }
        return k;
    }
}
