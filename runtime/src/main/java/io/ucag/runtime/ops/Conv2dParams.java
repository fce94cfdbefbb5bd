package io.ucag.runtime.ops;

/**
 * Geometry of a 2-D convolution, as {@code torch.nn.functional.conv2d} (groups = 1). Output size per axis:
 * {@code floor((in + 2*pad - dilation*(k-1) - 1) / stride) + 1}.
 */
public record Conv2dParams(int strideH, int strideW, int padH, int padW, int dilationH, int dilationW) {
    public Conv2dParams {
        if (strideH < 1 || strideW < 1 || dilationH < 1 || dilationW < 1 || padH < 0 || padW < 0) {
            throw new IllegalArgumentException("conv2d: stride and dilation must be >= 1 and padding >= 0, got " + this);
        }
    }

    /** Square stride and padding, dilation 1. */
    public static Conv2dParams of(int stride, int pad) {
        return new Conv2dParams(stride, stride, pad, pad, 1, 1);
    }

    /** Square stride, padding and dilation. */
    public static Conv2dParams of(int stride, int pad, int dilation) {
        return new Conv2dParams(stride, stride, pad, pad, dilation, dilation);
    }

    public int outH(int inH, int kernelH) {
        return Math.floorDiv(inH + 2 * padH - dilationH * (kernelH - 1) - 1, strideH) + 1;
    }

    public int outW(int inW, int kernelW) {
        return Math.floorDiv(inW + 2 * padW - dilationW * (kernelW - 1) - 1, strideW) + 1;
    }
}
