package io.ucag.runtime.ops;

/**
 * Window geometry of max / average pooling, as {@code torch.nn.functional.max_pool2d} (dilation 1).
 * Output size per axis: {@code floor_or_ceil((in + 2*pad - k) / stride) + 1}; with {@code ceilMode} the
 * last window is dropped if it would start inside the right padding (PyTorch's rule).
 */
public record Pool2dParams(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW, boolean ceilMode) {
    public Pool2dParams {
        if (kernelH < 1 || kernelW < 1 || strideH < 1 || strideW < 1 || padH < 0 || padW < 0) {
            throw new IllegalArgumentException("pool2d: kernel and stride must be >= 1 and padding >= 0, got " + this);
        }
        if (2 * padH > kernelH || 2 * padW > kernelW) {
            throw new IllegalArgumentException("pool2d: padding must be at most half the kernel size, got " + this);
        }
    }

    /** Square window; stride = kernel when {@code stride} is 0 (PyTorch's default). */
    public static Pool2dParams of(int kernel, int stride, int pad) {
        int s = stride == 0 ? kernel : stride;
        return new Pool2dParams(kernel, kernel, s, s, pad, pad, false);
    }

    public Pool2dParams withCeilMode(boolean ceil) {
        return new Pool2dParams(kernelH, kernelW, strideH, strideW, padH, padW, ceil);
    }

    public int outH(int inH) {
        return outSize(inH, kernelH, strideH, padH);
    }

    public int outW(int inW) {
        return outSize(inW, kernelW, strideW, padW);
    }

    private int outSize(int in, int k, int s, int pad) {
        int span = in + 2 * pad - k; // may be negative: ceil mode still gives one window, as PyTorch
        int out = (ceilMode ? Math.floorDiv(span + s - 1, s) : Math.floorDiv(span, s)) + 1;
        if (ceilMode && (out - 1) * s >= in + pad) {
            out--; // PyTorch: the last window must start inside the input or the left padding
        }
        return out;
    }
}
