package io.ucag.runtime.java;

import io.ucag.runtime.OpShapes;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import java.util.Arrays;
import java.util.List;

/** Copies that change the layout: {@code torch.cat}, a window of the last two axes, and constant padding. */
final class JavaLayout {
    private JavaLayout() {
    }

    /**
     * Seen as (outer, dim(axis), inner), the output holds for every outer index the blocks of the inputs one
     * after another.
     */
    static Tensor concat(JavaDevice d, List<Tensor> tensors, int axis) {
        Shape outShape = OpShapes.concat(tensors, axis);
        int a = outShape.normalizeAxis(axis);
        int outer = outShape.size(0, a);
        int inner = outShape.size(a + 1, outShape.rank());
        int outBlock = outShape.dim(a) * inner;
        Tensor out = d.allocate(outShape);
        float[] o = d.data(out);
        int start = 0;
        for (Tensor t : tensors) {
            float[] in = d.data(t);
            int block = t.shape().dim(a) * inner;
            int dst = start;
            d.loop().forRange(outer, block, (from, to) -> {
                for (int i = from; i < to; i++) {
                    System.arraycopy(in, i * block, o, i * outBlock + dst, block);
                }
            });
            start += block;
        }
        return out;
    }

    static Tensor crop(JavaDevice d, Tensor x, int top, int left, int height, int width) {
        Shape outShape = OpShapes.crop(x, top, left, height, width);
        Shape s = x.shape();
        int h = s.dim(-2);
        int w = s.dim(-1);
        float[] in = d.data(x);
        Tensor out = d.allocate(outShape);
        float[] o = d.data(out);
        int rows = s.size(0, s.rank() - 2) * height; // output rows over all planes
        d.loop().forRange(rows, width, (from, to) -> {
            for (int r = from; r < to; r++) {
                int plane = r / height;
                int y = r % height;
                System.arraycopy(in, (plane * h + top + y) * w + left, o, r * width, width);
            }
        });
        return out;
    }

    /** {@code F.pad(x, (left, right, top, bottom), mode='constant', value=value)}. */
    static Tensor pad(JavaDevice d, Tensor x, int top, int bottom, int left, int right, float value) {
        Shape outShape = OpShapes.pad(x, top, bottom, left, right);
        Shape s = x.shape();
        int h = s.dim(-2);
        int w = s.dim(-1);
        int oh = outShape.dim(-2);
        int ow = outShape.dim(-1);
        float[] in = d.data(x);
        Tensor out = d.allocate(outShape);
        float[] o = d.data(out);
        int rows = s.size(0, s.rank() - 2) * oh;
        d.loop().forRange(rows, ow, (from, to) -> {
            for (int r = from; r < to; r++) {
                int plane = r / oh;
                int y = r % oh - top;
                int row = r * ow;
                if (y < 0 || y >= h) {
                    Arrays.fill(o, row, row + ow, value);
                } else {
                    Arrays.fill(o, row, row + left, value);
                    System.arraycopy(in, (plane * h + y) * w, o, row + left, w);
                    Arrays.fill(o, row + left + w, row + ow, value);
                }
            }
        });
        return out;
    }
}
