package io.ucag.runtime.java;

import io.ucag.runtime.OpShapes;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.Pool2dParams;

/**
 * Max, average and adaptive average pooling over the last two axes of (N,C,H,W), as PyTorch's CPU kernels.
 * Work is split over output rows (one row = one (n, c, oy)), so a single image with few channels still uses
 * every thread. A window starts at {@code (oy*stride - pad, ox*stride - pad)} in input coordinates and is
 * clipped to the image; the geometry guarantees every window overlaps the image in at least one pixel.
 */
final class JavaPooling {
    private JavaPooling() {
    }

    /** {@code F.max_pool2d}: padding acts as -inf; a NaN anywhere in the window gives NaN (PyTorch's rule). */
    static Tensor maxPool2d(JavaDevice d, Tensor x, Pool2dParams p) {
        Shape os = OpShapes.pool2d("maxPool2d", x, p);
        Tensor y = d.allocate(os);
        float[] in = d.data(x);
        float[] out = d.data(y);
        int h = x.shape().dim(2);
        int w = x.shape().dim(3);
        int oh = os.dim(2);
        int ow = os.dim(3);
        d.loop().forRange(os.numel() / ow, (long) ow * p.kernelH() * p.kernelW(), (from, to) -> {
            for (int row = from; row < to; row++) {
                int plane = row / oh * h * w;
                int h0 = row % oh * p.strideH() - p.padH();
                int hs = Math.max(h0, 0);
                int he = Math.min(h0 + p.kernelH(), h);
                for (int ox = 0; ox < ow; ox++) {
                    int w0 = ox * p.strideW() - p.padW();
                    int ws = Math.max(w0, 0);
                    int we = Math.min(w0 + p.kernelW(), w);
                    float max = Float.NEGATIVE_INFINITY;
                    for (int iy = hs; iy < he; iy++) {
                        for (int ix = ws; ix < we; ix++) {
                            float v = in[plane + iy * w + ix];
                            if (v > max || Float.isNaN(v)) {
                                max = v; // once NaN, nothing compares greater, so NaN sticks
                            }
                        }
                    }
                    out[row * ow + ox] = max;
                }
            }
        });
        return y;
    }

    /**
     * {@code F.avg_pool2d}. The divisor with {@code countIncludePad} is
     * {@code (min(h0+kh, H+padH) - h0) * (min(w0+kw, W+padW) - w0)}: padding counts, the part of a ceil-mode
     * window hanging past the padding does not. Without it, only the in-image pixels count.
     */
    static Tensor avgPool2d(JavaDevice d, Tensor x, Pool2dParams p, boolean countIncludePad) {
        Shape os = OpShapes.pool2d("avgPool2d", x, p);
        Tensor y = d.allocate(os);
        float[] in = d.data(x);
        float[] out = d.data(y);
        int h = x.shape().dim(2);
        int w = x.shape().dim(3);
        int oh = os.dim(2);
        int ow = os.dim(3);
        d.loop().forRange(os.numel() / ow, (long) ow * p.kernelH() * p.kernelW(), (from, to) -> {
            for (int row = from; row < to; row++) {
                int plane = row / oh * h * w;
                int h0 = row % oh * p.strideH() - p.padH();
                int hs = Math.max(h0, 0);
                int he = Math.min(h0 + p.kernelH(), h);
                int paddedRows = Math.min(h0 + p.kernelH(), h + p.padH()) - h0;
                for (int ox = 0; ox < ow; ox++) {
                    int w0 = ox * p.strideW() - p.padW();
                    int ws = Math.max(w0, 0);
                    int we = Math.min(w0 + p.kernelW(), w);
                    int paddedCols = Math.min(w0 + p.kernelW(), w + p.padW()) - w0;
                    float sum = 0;
                    for (int iy = hs; iy < he; iy++) {
                        for (int ix = ws; ix < we; ix++) {
                            sum += in[plane + iy * w + ix];
                        }
                    }
                    int divisor = countIncludePad ? paddedRows * paddedCols : (he - hs) * (we - ws);
                    out[row * ow + ox] = sum / divisor;
                }
            }
        });
        return y;
    }

    /** {@code F.adaptive_avg_pool2d}: output bin i averages input [floor(i*H/outH), ceil((i+1)*H/outH)). */
    static Tensor adaptiveAvgPool2d(JavaDevice d, Tensor x, int outH, int outW) {
        Shape os = OpShapes.adaptiveAvgPool2d(x, outH, outW);
        Tensor y = d.allocate(os);
        float[] in = d.data(x);
        float[] out = d.data(y);
        int h = x.shape().dim(2);
        int w = x.shape().dim(3);
        long cellCost = (long) Math.max(1, h / outH + 1) * Math.max(1, w / outW + 1);
        d.loop().forRange(os.numel() / outW, outW * cellCost, (from, to) -> {
            for (int row = from; row < to; row++) {
                int plane = row / outH * h * w;
                int oy = row % outH;
                int hs = binStart(oy, h, outH);
                int he = binEnd(oy, h, outH);
                for (int ox = 0; ox < outW; ox++) {
                    int ws = binStart(ox, w, outW);
                    int we = binEnd(ox, w, outW);
                    float sum = 0;
                    for (int iy = hs; iy < he; iy++) {
                        for (int ix = ws; ix < we; ix++) {
                            sum += in[plane + iy * w + ix];
                        }
                    }
                    out[row * outW + ox] = sum / ((he - hs) * (we - ws));
                }
            }
        });
        return y;
    }

    /** floor(i * in / out), PyTorch's {@code start_index}. */
    static int binStart(int i, int in, int out) {
        return (int) ((long) i * in / out);
    }

    /** ceil((i+1) * in / out), PyTorch's {@code end_index}. */
    static int binEnd(int i, int in, int out) {
        return (int) (((long) (i + 1) * in + out - 1) / out);
    }
}
