package io.ucag.runtime.java;

import io.ucag.runtime.Shape;
import io.ucag.runtime.ops.Conv2dParams;

/**
 * Sizes of one convolution seen by its gradients: input (N,C,H,W), weight (O,C,kh,kw), output (N,O,Ho,Wo).
 * The im2col matrix of image n has rows {@code k = (c*kh + ky)*kw + kx} (the weight's inner index) and one
 * column per output pixel {@code p = oy*Wo + ox}; its entry is input pixel
 * {@code (iy, ix) = (oy*strideH - padH + ky*dilationH, ox*strideW - padW + kx*dilationW)}, or 0 outside.
 */
record ConvGradGeometry(int batch, int channels, int height, int width, int outChannels, int kernelH,
                        int kernelW, int outH, int outW, Conv2dParams params) {

    static ConvGradGeometry of(Shape input, int outChannels, int kernelH, int kernelW, Conv2dParams p) {
        int h = input.dim(2);
        int w = input.dim(3);
        return new ConvGradGeometry(input.dim(0), input.dim(1), h, w, outChannels, kernelH, kernelW,
                p.outH(h, kernelH), p.outW(w, kernelW), p);
    }

    /** Rows of the im2col matrix: C*kh*kw, one weight filter's size. */
    int depth() {
        return channels * kernelH * kernelW;
    }

    /** Output pixels per image: columns of the im2col matrix. */
    int pixels() {
        return outH * outW;
    }

    /** Input pixels per image plane. */
    int plane() {
        return height * width;
    }

    /** 1x1 kernel, stride 1, no padding: the im2col matrix of an image is the image itself. */
    boolean isPointwise() {
        return kernelH == 1 && kernelW == 1 && params.strideH() == 1 && params.strideW() == 1
                && params.padH() == 0 && params.padW() == 0;
    }

    /**
     * Output pixels per im2col block: as many as keep a block of C*kh*kw rows near 2^20 floats (4 MiB), at
     * least 32 (so the GEMM rows stay long enough to vectorise), at most one image.
     */
    int blockPixels() {
        return Math.max(1, Math.min(pixels(), Math.max(32, (1 << 20) / depth())));
    }
}
