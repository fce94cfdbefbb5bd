package io.ucag.runtime.java;

import io.ucag.runtime.GradShapes;
import io.ucag.runtime.OpShapes;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.ResizeMode;
import java.util.Arrays;

/**
 * Gradients of resize and gaussian blur: both forward ops are separable (a 1-D resampling along the width, one
 * along the height), so the gradient is the transpose of each, applied as a gather ({@link AdjointTaps}):
 * first along the width, then along the height (the order does not change the result, only rounding).
 * Sums run in double; the intermediate is stored in float.
 */
final class JavaResamplingBackward {
    private JavaResamplingBackward() {
    }

    /** PyTorch's {@code upsample_bilinear2d_backward} / {@code upsample_bicubic2d_backward}, align_corners=False. */
    static Tensor resizeBackward(JavaDevice d, Tensor gradOut, Shape inputShape, ResizeMode mode) {
        Shape s = GradShapes.resizeBackward(gradOut, inputShape);
        Shape gs = gradOut.shape();
        AdjointTaps rows = AdjointTaps.ofResize(mode, s.dim(-2), gs.dim(-2));
        AdjointTaps cols = AdjointTaps.ofResize(mode, s.dim(-1), gs.dim(-1));
        return separableAdjoint(d, gradOut, s, rows, cols);
    }

    /** Adjoint of torchvision's {@code gaussian_blur(x, [k, k], [sigma, sigma])} with its reflect padding. */
    static Tensor gaussianBlurBackward(JavaDevice d, Tensor gradOut, int kernelSize, float sigma) {
        Shape s = GradShapes.gaussianBlurBackward(gradOut, kernelSize, sigma);
        float[] kernel = OpShapes.gaussianKernel(kernelSize, sigma);
        AdjointTaps rows = AdjointTaps.ofBlur(s.dim(-2), kernel);
        AdjointTaps cols = AdjointTaps.ofBlur(s.dim(-1), kernel);
        return separableAdjoint(d, gradOut, s, rows, cols);
    }

    /** gradIn (planes, h, w) from gradOut (planes, outH, outW): the width adjoint, then the height adjoint. */
    private static Tensor separableAdjoint(JavaDevice d, Tensor gradOut, Shape inputShape, AdjointTaps rows,
                                           AdjointTaps cols) {
        Shape gs = gradOut.shape();
        int outH = gs.dim(-2);
        int outW = gs.dim(-1);
        int h = inputShape.dim(-2);
        int w = inputShape.dim(-1);
        int planes = gs.size(0, gs.rank() - 2);
        float[] g = d.data(gradOut);
        float[] across = new float[planes * outH * w]; // (planes, outH, w): width adjoint done
        long colTaps = cols.first(w);
        d.loop().forRange(planes * outH, colTaps, (from, to) -> {
            for (int r = from; r < to; r++) {
                int gRow = r * outW;
                for (int x = 0; x < w; x++) {
                    double acc = 0;
                    for (int e = cols.first(x); e < cols.first(x + 1); e++) {
                        acc += (double) cols.weight(e) * g[gRow + cols.output(e)];
                    }
                    across[r * w + x] = (float) acc;
                }
            }
        });
        Tensor gradIn = d.allocate(inputShape);
        float[] out = d.data(gradIn);
        long rowTaps = (long) rows.first(h) * w / h;
        d.loop().forRange(planes * h, rowTaps, (from, to) -> {
            double[] acc = new double[w]; // one gradient row, accumulated intermediate row by row
            for (int r = from; r < to; r++) {
                int plane = r / h;
                int y = r % h;
                Arrays.fill(acc, 0);
                for (int e = rows.first(y); e < rows.first(y + 1); e++) {
                    double wgt = rows.weight(e);
                    int src = (plane * outH + rows.output(e)) * w;
                    for (int x = 0; x < w; x++) {
                        acc[x] += wgt * across[src + x];
                    }
                }
                for (int x = 0; x < w; x++) {
                    out[r * w + x] = (float) acc[x];
                }
            }
        });
        return gradIn;
    }
}
