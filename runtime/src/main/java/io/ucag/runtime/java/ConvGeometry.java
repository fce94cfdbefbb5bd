package io.ucag.runtime.java;

import io.ucag.runtime.Shape;
import io.ucag.runtime.ops.Conv2dParams;

/**
 * Sizes of one conv2d call seen as a matrix product {@code Y (O, N*Ho*Wo) = W (O, C*kh*kw) * X_col}, where
 * column {@code q = n*Ho*Wo + oy*Wo + ox} of {@code X_col} holds the input values under output pixel
 * {@code (oy, ox)} of batch item {@code n}, row {@code k = (c*kh + ky)*kw + kx}.
 */
record ConvGeometry(int batch, int channels, int height, int width, int outChannels, int kernelH, int kernelW,
                    int outH, int outW, Conv2dParams params) {

    static ConvGeometry of(Shape input, Shape weight, Shape output, Conv2dParams params) {
        return new ConvGeometry(input.dim(0), input.dim(1), input.dim(2), input.dim(3), weight.dim(0),
                weight.dim(2), weight.dim(3), output.dim(2), output.dim(3), params);
    }

    /** Rows of {@code X_col}: C*kh*kw, the reduction depth. */
    int depth() {
        return channels * kernelH * kernelW;
    }

    /** Output pixels per image. */
    int pixels() {
        return outH * outW;
    }

    /** Columns of {@code X_col}: all output pixels of all images. */
    int columns() {
        return batch * pixels();
    }

    /** 1x1 kernel, stride 1, no padding: {@code X_col} is the input itself, image by image. */
    boolean isPointwise() {
        return kernelH == 1 && kernelW == 1 && params.strideH() == 1 && params.strideW() == 1
                && params.padH() == 0 && params.padW() == 0;
    }

    /** Multiply-adds of the whole call. */
    long multiplyAdds() {
        return (long) outChannels * depth() * columns();
    }
}
