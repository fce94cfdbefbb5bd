package io.ucag.runtime.java;

import io.ucag.runtime.OpShapes;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.ResizeMode;
import java.util.Arrays;

/**
 * Resampling and filtering of the last two axes: {@code F.interpolate(..., align_corners=False)} (bilinear,
 * bicubic; see {@link ResizeTaps} for the exact rule) and torchvision's {@code gaussian_blur}.
 */
final class JavaResampling {
    private JavaResampling() {
    }

    static Tensor resize(JavaDevice d, Tensor x, int outH, int outW, ResizeMode mode) {
        Shape outShape = OpShapes.resize(x, outH, outW);
        Shape s = x.shape();
        int h = s.dim(-2);
        int w = s.dim(-1);
        ResizeTaps rows = ResizeTaps.of(mode, h, outH);
        ResizeTaps cols = ResizeTaps.of(mode, w, outW);
        int taps = rows.taps();
        float[] in = d.data(x);
        Tensor out = d.allocate(outShape);
        float[] o = d.data(out);
        int outRows = s.size(0, s.rank() - 2) * outH;
        d.loop().forRange(outRows, (long) outW * taps * taps, (from, to) -> {
            for (int r = from; r < to; r++) {
                int plane = r / outH;
                int oy = r % outH;
                for (int ox = 0; ox < outW; ox++) {
                    float acc = 0;
                    for (int j = 0; j < taps; j++) {
                        int rowStart = (plane * h + rows.index(oy, j)) * w;
                        float line = 0; // the width interpolation of source row j, first as in ATen
                        for (int i = 0; i < taps; i++) {
                            line += in[rowStart + cols.index(ox, i)] * cols.weight(ox, i);
                        }
                        acc += line * rows.weight(oy, j);
                    }
                    o[r * outW + ox] = acc;
                }
            }
        });
        return out;
    }

    /**
     * torchvision {@code gaussian_blur(x, [k, k], [sigma, sigma])}: the kernel of {@link OpShapes#gaussianKernel}
     * applied along the width, then along the height, reading past the border by reflection without repeating
     * the border pixel (index -1 reads 1, index n reads n - 2). torchvision convolves once with the outer
     * product of the two 1-D kernels; the separable form is equal up to float rounding.
     */
    static Tensor gaussianBlur(JavaDevice d, Tensor x, int kernelSize, float sigma) {
        Shape s = OpShapes.gaussianBlur(x, kernelSize, sigma);
        float[] kernel = OpShapes.gaussianKernel(kernelSize, sigma);
        int half = kernelSize / 2;
        int h = s.dim(-2);
        int w = s.dim(-1);
        int rowsTotal = s.size(0, s.rank() - 2) * h;
        float[] in = d.data(x);
        float[] across = new float[s.numel()]; // blurred along the width
        d.loop().forRange(rowsTotal, (long) w * kernelSize, (from, to) -> {
            for (int r = from; r < to; r++) {
                int row = r * w;
                for (int c = 0; c < w; c++) {
                    double acc = 0;
                    for (int j = 0; j < kernelSize; j++) {
                        acc += kernel[j] * in[row + reflect(c - half + j, w)];
                    }
                    across[row + c] = (float) acc;
                }
            }
        });
        Tensor out = d.allocate(s);
        float[] o = d.data(out);
        d.loop().forRange(rowsTotal, (long) w * kernelSize, (from, to) -> {
            double[] acc = new double[w]; // one output row, accumulated source row by source row
            for (int r = from; r < to; r++) {
                int planeStart = (r / h) * h * w;
                int y = r % h;
                Arrays.fill(acc, 0);
                for (int j = 0; j < kernelSize; j++) {
                    int src = planeStart + reflect(y - half + j, h) * w;
                    for (int c = 0; c < w; c++) {
                        acc[c] += kernel[j] * across[src + c];
                    }
                }
                for (int c = 0; c < w; c++) {
                    o[r * w + c] = (float) acc[c];
                }
            }
        });
        return out;
    }

    /**
     * PyTorch's 'reflect' border (index -1 reads 1, index n reads n - 2) for an index at most n - 1 outside
     * [0, n). Shared with {@link AdjointTaps#ofBlur}, whose adjoint must fold the padding exactly as this does.
     */
    static int reflect(int i, int n) {
        if (i < 0) {
            return -i;
        }
        return i >= n ? 2 * (n - 1) - i : i;
    }
}
