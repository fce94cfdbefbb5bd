package io.ucag.runtime.java;

import io.ucag.runtime.GradShapes;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;

/** {@code x.narrow(axis, start, length)}: for each index before the axis, one contiguous block is copied. */
final class JavaSlice {
    private JavaSlice() {
    }

    static Tensor slice(JavaDevice d, Tensor x, int axis, int start, int length) {
        Shape ys = GradShapes.slice(x, axis, start, length);
        Shape xs = x.shape();
        int a = xs.normalizeAxis(axis);
        int outer = xs.size(0, a);
        int inner = xs.size(a + 1, xs.rank());
        int inBlock = xs.dim(a) * inner;
        int outBlock = length * inner;
        float[] in = d.data(x);
        Tensor result = d.allocate(ys);
        float[] out = d.data(result);
        d.loop().forRange(outer, outBlock, (from, to) -> {
            for (int o = from; o < to; o++) {
                System.arraycopy(in, o * inBlock + start * inner, out, o * outBlock, outBlock);
            }
        });
        return result;
    }
}
