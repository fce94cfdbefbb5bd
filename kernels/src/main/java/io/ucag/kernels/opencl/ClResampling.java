package io.ucag.kernels.opencl;

import io.ucag.runtime.OpShapes;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.java.ResizeTaps;
import io.ucag.runtime.ops.ResizeMode;

/**
 * Launchers of {@code resize.cl} and {@code filter.cl}. The resize tables ({@link ResizeTaps}) and the blur
 * taps are computed on the host by the same code as the Java backend and uploaded per call (a few KB).
 */
final class ClResampling {
    private ClResampling() {
    }

    static Tensor resize(ClDevice d, Tensor x, int outH, int outW, ResizeMode mode) {
        Shape outShape = OpShapes.resize(x, outH, outW);
        int h = x.shape().dim(-2);
        int w = x.shape().dim(-1);
        ResizeTaps rows = ResizeTaps.of(mode, h, outH);
        ResizeTaps cols = ResizeTaps.of(mode, w, outW);
        int planes = outShape.numel() / (outH * outW);
        int taps = rows.taps();
        String defines = "-DTAPS=" + taps;
        Tensor out = d.allocate(outShape);
        try (Tensor lines = d.allocate(Shape.of(planes, h, outW));
             Tensor rowIndex = d.fromArray(Shape.of(outH, taps), rows.indicesAsFloats());
             Tensor rowWeight = d.fromArray(Shape.of(outH, taps), rows.weights());
             Tensor colIndex = d.fromArray(Shape.of(outW, taps), cols.indicesAsFloats());
             Tensor colWeight = d.fromArray(Shape.of(outW, taps), cols.weights())) {
            d.kernel("resize.cl", "resize_cols", defines).launch(new long[] {(long) planes * h}, null,
                    x, lines, colIndex, colWeight, w, outW, planes * h);
            d.kernel("resize.cl", "resize_rows", defines).launch(new long[] {(long) planes * outH}, null,
                    lines, out, rowIndex, rowWeight, h, outH, outW, planes * outH);
        } // releasing the lines and tables while queued is safe (see ClBuffer)
        return out;
    }

    static Tensor gaussianBlur(ClDevice d, Tensor x, int kernelSize, float sigma) {
        Shape s = OpShapes.gaussianBlur(x, kernelSize, sigma);
        int radius = kernelSize / 2;
        int count = s.numel();
        long[] global = {count};
        Tensor out = d.allocate(s);
        try (Tensor weights = d.fromArray(Shape.of(kernelSize), OpShapes.gaussianKernel(kernelSize, sigma));
             Tensor across = d.allocate(s)) {
            d.kernel("filter.cl", "blur_rows").launch(global, null, x, weights, across, s.dim(-1), radius, count);
            d.kernel("filter.cl", "blur_cols").launch(global, null,
                    across, weights, out, s.dim(-2), s.dim(-1), radius, count);
        }
        return out;
    }
}
