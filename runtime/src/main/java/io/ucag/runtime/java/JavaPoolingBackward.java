package io.ucag.runtime.java;

import io.ucag.runtime.GradShapes;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.Pool2dParams;

/**
 * Gradients of max, average and adaptive average pooling (NCHW), as PyTorch's CPU kernels. Each (n,c) plane is
 * one task: its windows are visited in row-major output order and scatter into the input gradient, so every
 * input pixel sums its windows' contributions in that order (the OpenCL gather kernels use the same order).
 */
final class JavaPoolingBackward {
    private JavaPoolingBackward() {
    }

    /**
     * Each window's gradient goes to the pixel PyTorch's forward picks as its arg-max: scanning the window in
     * row-major order, a pixel replaces the current maximum when it is greater or NaN. So ties go to the first
     * maximum, a NaN beats every number (and the last NaN wins), and an all -inf window picks its first pixel.
     * Padding never receives gradient.
     */
    static Tensor maxPool2dBackward(JavaDevice d, Tensor gradOut, Tensor input, Pool2dParams p) {
        Shape xs = GradShapes.pool2dBackward("maxPool2dBackward", gradOut, input.shape(), p);
        Plane plane = new Plane(xs, gradOut.shape());
        float[] g = d.data(gradOut);
        float[] x = d.data(input);
        Tensor result = d.allocate(xs);
        float[] dx = d.data(result);
        d.loop().forRange(plane.count, (long) plane.outSize() * p.kernelH() * p.kernelW(), (from, to) -> {
            for (int pl = from; pl < to; pl++) {
                int inBase = pl * plane.inSize();
                int outBase = pl * plane.outSize();
                for (int oh = 0; oh < plane.outH; oh++) {
                    int h0 = Math.max(oh * p.strideH() - p.padH(), 0);
                    int h1 = Math.min(oh * p.strideH() - p.padH() + p.kernelH(), plane.inH);
                    for (int ow = 0; ow < plane.outW; ow++) {
                        int w0 = Math.max(ow * p.strideW() - p.padW(), 0);
                        int w1 = Math.min(ow * p.strideW() - p.padW() + p.kernelW(), plane.inW);
                        int argMax = argMax(x, inBase, plane.inW, h0, h1, w0, w1);
                        dx[inBase + argMax] += g[outBase + oh * plane.outW + ow];
                    }
                }
            }
        });
        return result;
    }

    /** PyTorch's forward arg-max of the window rows [h0,h1) x cols [w0,w1): offset within the plane. */
    private static int argMax(float[] x, int base, int width, int h0, int h1, int w0, int w1) {
        int best = h0 * width + w0;
        float max = Float.NEGATIVE_INFINITY;
        for (int h = h0; h < h1; h++) {
            for (int w = w0; w < w1; w++) {
                float v = x[base + h * width + w];
                if (v > max || Float.isNaN(v)) {
                    max = v;
                    best = h * width + w;
                }
            }
        }
        return best;
    }

    /**
     * Each window spreads {@code gradient / divisor} over its input pixels, with the forward's divisor: with
     * {@code countIncludePad} the window clipped to the padded input (a ceil-mode window may hang past it),
     * otherwise the window clipped to the input.
     */
    static Tensor avgPool2dBackward(JavaDevice d, Tensor gradOut, Shape inputShape, Pool2dParams p,
                                    boolean countIncludePad) {
        Shape xs = GradShapes.pool2dBackward("avgPool2dBackward", gradOut, inputShape, p);
        Plane plane = new Plane(xs, gradOut.shape());
        float[] g = d.data(gradOut);
        Tensor result = d.allocate(xs);
        float[] dx = d.data(result);
        d.loop().forRange(plane.count, (long) plane.outSize() * p.kernelH() * p.kernelW(), (from, to) -> {
            for (int pl = from; pl < to; pl++) {
                int inBase = pl * plane.inSize();
                int outBase = pl * plane.outSize();
                for (int oh = 0; oh < plane.outH; oh++) {
                    int hStart = oh * p.strideH() - p.padH();
                    int hEnd = Math.min(hStart + p.kernelH(), plane.inH + p.padH());
                    int h0 = Math.max(hStart, 0);
                    int h1 = Math.min(hEnd, plane.inH);
                    for (int ow = 0; ow < plane.outW; ow++) {
                        int wStart = ow * p.strideW() - p.padW();
                        int wEnd = Math.min(wStart + p.kernelW(), plane.inW + p.padW());
                        int w0 = Math.max(wStart, 0);
                        int w1 = Math.min(wEnd, plane.inW);
                        int divisor = countIncludePad ? (hEnd - hStart) * (wEnd - wStart) : (h1 - h0) * (w1 - w0);
                        float share = g[outBase + oh * plane.outW + ow] / divisor;
                        for (int h = h0; h < h1; h++) {
                            for (int w = w0; w < w1; w++) {
                                dx[inBase + h * plane.inW + w] += share;
                            }
                        }
                    }
                }
            }
        });
        return result;
    }

    /**
     * Bin (i,j) covers rows [floor(i*H/oh), ceil((i+1)*H/oh)) and the like for columns; bins overlap when the
     * sizes do not divide, and each spreads {@code gradient / rows / cols} (PyTorch's order of division).
     */
    static Tensor adaptiveAvgPool2dBackward(JavaDevice d, Tensor gradOut, Shape inputShape) {
        Shape xs = GradShapes.adaptiveAvgPool2dBackward(gradOut, inputShape);
        Plane plane = new Plane(xs, gradOut.shape());
        float[] g = d.data(gradOut);
        Tensor result = d.allocate(xs);
        float[] dx = d.data(result);
        d.loop().forRange(plane.count, (long) Math.max(plane.outSize(), plane.inSize()) * 2, (from, to) -> {
            for (int pl = from; pl < to; pl++) {
                int inBase = pl * plane.inSize();
                int outBase = pl * plane.outSize();
                for (int oh = 0; oh < plane.outH; oh++) {
                    int h0 = JavaPooling.binStart(oh, plane.inH, plane.outH);
                    int h1 = JavaPooling.binEnd(oh, plane.inH, plane.outH);
                    for (int ow = 0; ow < plane.outW; ow++) {
                        int w0 = JavaPooling.binStart(ow, plane.inW, plane.outW);
                        int w1 = JavaPooling.binEnd(ow, plane.inW, plane.outW);
                        float share = g[outBase + oh * plane.outW + ow] / (h1 - h0) / (w1 - w0);
                        for (int h = h0; h < h1; h++) {
                            for (int w = w0; w < w1; w++) {
                                dx[inBase + h * plane.inW + w] += share;
                            }
                        }
                    }
                }
            }
        });
        return result;
    }

    /** Plane geometry of an (N,C,H,W) input and its (N,C,oh,ow) gradient. */
    private record Plane(int count, int inH, int inW, int outH, int outW) {
        Plane(Shape in, Shape out) {
            this(in.dim(0) * in.dim(1), in.dim(2), in.dim(3), out.dim(2), out.dim(3));
        }

        int inSize() {
            return inH * inW;
        }

        int outSize() {
            return outH * outW;
        }
    }
}
