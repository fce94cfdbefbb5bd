package io.ucag.runtime.java;

import io.ucag.runtime.ops.ResizeMode;

/**
 * Test oracle: resize and gaussian blur as dense double-precision 1-D matrices {@code M (out, in)} written
 * straight from PyTorch's formulas (ATen UpSample.h, torchvision gaussian_blur), independent of the
 * implementation's tables. A 2-D op on a plane X is {@code Mh X Mw^T}; its adjoint is {@code Mh^T G Mw}.
 */
final class ResamplingReference {
    private static final double CUBIC_A = -0.75;

    private ResamplingReference() {
    }

    /**
     * Resize of one axis, align_corners=False, source coordinate (dst + 0.5) * scale - 0.5 with ATen's float
     * {@code scale = (float) in / out}; bicubic rounds the coordinate to float (ATen's opmath), bilinear keeps it.
     */
    static double[][] resize(ResizeMode mode, int in, int out) {
        double[][] m = new double[out][in];
        double scale = (float) in / out;
        for (int o = 0; o < out; o++) {
            double src = scale * (o + 0.5) - 0.5;
            if (mode == ResizeMode.BICUBIC) {
                src = (float) src;
            }
            if (mode == ResizeMode.BILINEAR) {
                if (in == out) {
                    m[o][o] = 1;
                    continue;
                }
                src = Math.max(src, 0); // linear modes clamp negative source coordinates
                int i0 = (int) Math.floor(src);
                double l = src - i0;
                m[o][i0] += 1 - l;
                m[o][Math.min(i0 + 1, in - 1)] += l;
            } else {
                int i0 = (int) Math.floor(src);
                double t = src - i0;
                double[] w = {cubicOuter(t + 1), cubicInner(t), cubicInner(1 - t), cubicOuter(2 - t)};
                for (int j = 0; j < 4; j++) {
                    m[o][Math.min(Math.max(i0 - 1 + j, 0), in - 1)] += w[j]; // clamped taps pile up
                }
            }
        }
        return m;
    }

    /** torchvision's 1-D gaussian with 'reflect' padding over n pixels. */
    static double[][] blur(int n, int kernelSize, double sigma) {
        int half = kernelSize / 2;
        double[] k = new double[kernelSize];
        double sum = 0;
        for (int i = 0; i < kernelSize; i++) {
            double x = (i - half) / sigma;
            k[i] = Math.exp(-0.5 * x * x);
            sum += k[i];
        }
        double[][] m = new double[n][n];
        for (int o = 0; o < n; o++) {
            for (int t = 0; t < kernelSize; t++) {
                int i = o - half + t;
                i = i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i;
                m[o][i] += k[t] / sum;
            }
        }
        return m;
    }

    /** {@code Mh X Mw^T} for each of {@code planes} planes of x (planes, in h, in w). */
    static double[] forward(double[][] mh, double[][] mw, float[] x, int planes) {
        int outH = mh.length;
        int h = mh[0].length;
        int outW = mw.length;
        int w = mw[0].length;
        double[] y = new double[planes * outH * outW];
        double[] row = new double[outW];
        for (int p = 0; p < planes; p++) {
            for (int iy = 0; iy < h; iy++) {
                for (int ox = 0; ox < outW; ox++) {
                    double acc = 0;
                    for (int ix = 0; ix < w; ix++) {
                        acc += mw[ox][ix] * x[(p * h + iy) * w + ix];
                    }
                    row[ox] = acc;
                }
                for (int oy = 0; oy < outH; oy++) {
                    double wy = mh[oy][iy];
                    if (wy != 0) {
                        for (int ox = 0; ox < outW; ox++) {
                            y[(p * outH + oy) * outW + ox] += wy * row[ox];
                        }
                    }
                }
            }
        }
        return y;
    }

    /** {@code Mh^T G Mw} for each plane of g (planes, out h, out w): the exact adjoint of {@link #forward}. */
    static double[] adjoint(double[][] mh, double[][] mw, float[] g, int planes) {
        return forward(transpose(mh), transpose(mw), g, planes);
    }

    private static double[][] transpose(double[][] m) {
        double[][] t = new double[m[0].length][m.length];
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m[0].length; j++) {
                t[j][i] = m[i][j];
            }
        }
        return t;
    }

    private static double cubicInner(double x) {
        return ((CUBIC_A + 2) * x - (CUBIC_A + 3)) * x * x + 1;
    }

    private static double cubicOuter(double x) {
        return ((CUBIC_A * x - 5 * CUBIC_A) * x + 8 * CUBIC_A) * x - 4 * CUBIC_A;
    }
}
