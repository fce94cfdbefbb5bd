package io.ucag.kernels.opencl;

import io.ucag.runtime.OpShapes;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import java.util.List;

/** Launchers of {@code layout.cl}: {@code torch.cat}, a window of the last two axes, constant padding. */
final class ClLayout {
    private static final String FILE = "layout.cl";

    private ClLayout() {
    }

    static Tensor concat(ClDevice d, List<Tensor> tensors, int axis) {
        Shape outShape = OpShapes.concat(tensors, axis);
        int a = outShape.normalizeAxis(axis);
        int inner = outShape.size(a + 1, outShape.rank());
        int outBlock = outShape.dim(a) * inner;
        Tensor out = d.allocate(outShape);
        ClKernel copy = d.kernel(FILE, "concat_copy");
        int start = 0;
        int outer = outShape.size(0, a);
        for (Tensor t : tensors) {
            int block = t.shape().dim(a) * inner;
            copy.launch(new long[] {block, outer}, null, t, out, block, outBlock, start);
            start += block;
        }
        return out;
    }

    static Tensor crop(ClDevice d, Tensor x, int top, int left, int height, int width) {
        Shape outShape = OpShapes.crop(x, top, left, height, width);
        Tensor out = d.allocate(outShape);
        int count = outShape.numel();
        d.kernel(FILE, "crop").launch(new long[] {count}, null,
                x, out, x.shape().dim(-2), x.shape().dim(-1), top, left, height, width, count);
        return out;
    }

    static Tensor pad(ClDevice d, Tensor x, int top, int bottom, int left, int right, float value) {
        Shape outShape = OpShapes.pad(x, top, bottom, left, right);
        Tensor out = d.allocate(outShape);
        int count = outShape.numel();
        d.kernel(FILE, "pad_constant").launch(new long[] {count}, null, x, out, x.shape().dim(-2), x.shape().dim(-1),
                top, left, outShape.dim(-2), outShape.dim(-1), value, count);
        return out;
    }
}
