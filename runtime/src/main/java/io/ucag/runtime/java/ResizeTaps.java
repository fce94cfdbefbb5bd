package io.ucag.runtime.java;

import io.ucag.runtime.ops.ResizeMode;

/**
 * The source pixels and weights of a resize along one axis, following PyTorch 1.13's CPU
 * {@code upsample_bilinear2d} / {@code upsample_bicubic2d} with {@code align_corners=False} and only a size
 * given (ATen {@code UpSample.h} and {@code UpSampleKernel.cpp}):
 * <ul>
 *   <li>{@code scale = (float) in / out}; source coordinate {@code src = scale * (dst + 0.5) - 0.5};</li>
 *   <li>bilinear: {@code src} (in double, ATen's {@code acc_type}) clamped below at 0, taps {@code (int) src}
 *       and the next pixel (the same one at the last pixel), weights {@code 1 - l, l} with
 *       {@code l = (float) (src - (int) src)}; equal sizes copy;</li>
 *   <li>bicubic: {@code src} rounded to float and not clamped, taps {@code floor(src) - 1 .. floor(src) + 2}
 *       each clamped to {@code [0, in - 1]}, weights of the Keys kernel with {@code A = -0.75} at
 *       {@code t = src - floor(src)}, in float.</li>
 * </ul>
 * <p>Checked against torch 1.13 on this machine with unit impulses: the bilinear weights are bit-identical; the
 * bicubic ones are too when {@code in / out} is exact in binary, otherwise they differ in the last bit of the
 * outer taps (ATen's compiled polynomial evaluation rounds differently), a relative effect below 1e-6.
 *
 * <p>Output pixel {@code dst} along this axis is {@code sum_j weight(dst, j) * input[index(dst, j)]}; a 2-D resize
 * sums the width taps of each source row, then weighs the rows. Both backends use these tables, so they agree
 * up to summation order. Against torch 1.13 on N(0,1) images (13x7 to 224x224, 322x124, 5x3) the largest
 * difference was 5e-7 (bilinear) and 6e-6 (bicubic): ATen's compiled arithmetic rounds differently.
 */
public final class ResizeTaps {
    private static final float CUBIC_A = -0.75f;

    private final int taps;
    private final int[] index;   // (out, taps): source pixel of each tap
    private final float[] weight; // (out, taps)

    private ResizeTaps(int taps, int[] index, float[] weight) {
        this.taps = taps;
        this.index = index;
        this.weight = weight;
    }

    public static ResizeTaps of(ResizeMode mode, int in, int out) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("resize: sizes must be >= 1, got " + in + " -> " + out);
        }
        return switch (mode) {
            case BILINEAR -> bilinear(in, out);
            case BICUBIC -> bicubic(in, out);
        };
    }

    /** Taps per output pixel: 2 (bilinear) or 4 (bicubic). */
    public int taps() {
        return taps;
    }

    public int index(int dst, int tap) {
        return index[dst * taps + tap];
    }

    public float weight(int dst, int tap) {
        return weight[dst * taps + tap];
    }

    /** The (out, taps) source indices as floats (exact below 2^24), for upload to devices without int tensors. */
    public float[] indicesAsFloats() {
        float[] f = new float[index.length];
        for (int i = 0; i < index.length; i++) {
            f[i] = index[i];
        }
        return f;
    }

    /** The (out, taps) weights. */
    public float[] weights() {
        return weight.clone();
    }

    private static float sourceIndex(float scale, int dst) {
        return (float) (scale * (dst + 0.5) - 0.5);
    }

    private static ResizeTaps bilinear(int in, int out) {
        int[] index = new int[out * 2];
        float[] weight = new float[out * 2];
        float scale = (float) in / out;
        for (int dst = 0; dst < out; dst++) {
            if (in == out) { // ATen copies when the size does not change
                index[2 * dst] = dst;
                index[2 * dst + 1] = dst;
                weight[2 * dst] = 1;
                continue;
            }
            double src = Math.max(0.0, scale * (dst + 0.5) - 0.5); // ATen keeps this one in double
            int i0 = (int) src;
            float lambda1 = (float) (src - i0);
            index[2 * dst] = i0;
            index[2 * dst + 1] = i0 < in - 1 ? i0 + 1 : i0;
            weight[2 * dst] = 1f - lambda1;
            weight[2 * dst + 1] = lambda1;
        }
        return new ResizeTaps(2, index, weight);
    }

    private static ResizeTaps bicubic(int in, int out) {
        int[] index = new int[out * 4];
        float[] weight = new float[out * 4];
        float scale = (float) in / out;
        for (int dst = 0; dst < out; dst++) {
            float src = sourceIndex(scale, dst);
            int i0 = (int) Math.floor(src);
            float t = src - i0;
            weight[4 * dst] = cubicOuter(t + 1f);
            weight[4 * dst + 1] = cubicInner(t);
            float opposite = 1f - t; // rounded on its own before the + 1, as ATen does
            weight[4 * dst + 2] = cubicInner(opposite);
            weight[4 * dst + 3] = cubicOuter(opposite + 1f);
            for (int j = 0; j < 4; j++) {
                index[4 * dst + j] = Math.min(Math.max(i0 - 1 + j, 0), in - 1);
            }
        }
        return new ResizeTaps(4, index, weight);
    }

    /** Keys kernel for |x| <= 1 (ATen {@code cubic_convolution1}). */
    private static float cubicInner(float x) {
        return ((CUBIC_A + 2) * x - (CUBIC_A + 3)) * x * x + 1;
    }

    /** Keys kernel for 1 < |x| < 2 (ATen {@code cubic_convolution2}). */
    private static float cubicOuter(float x) {
        return ((CUBIC_A * x - 5 * CUBIC_A) * x + 8 * CUBIC_A) * x - 4 * CUBIC_A;
    }
}
