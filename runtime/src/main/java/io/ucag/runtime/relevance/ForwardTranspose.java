package io.ucag.runtime.relevance;

import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.Conv2dParams;
import io.ucag.runtime.ops.Pool2dParams;

/**
 * The transposed map of a convolution as a forward convolution, where that is exact: stride 1 (undilated),
 * {@code conv2dBackwardInput(s, W, pad) = conv2d(s, flip(W^T), kernel - 1 - pad)} with {@code flip(W^T)[c,o,i,j] =
 * W[o,c,kh-1-i,kw-1-j]}; and 1x1 without padding at any stride, {@code conv2d(s, W^T)} spread onto the strided
 * input grid (zeros between) by the backward of a 1x1 average pool with that stride. Why: measured on
 * resnet50-keras (OpenCL on a 2-core CPU, {@code bench --method lrp-zplus --profile}), conv2dBackwardInput was 77%
 * of an LRP pass at 5 GFLOP/s while conv2d ran at 64 GFLOP/s; a (512,2048,1,1) layer at 7x7 took 0.147 s backward
 * against 0.0015 s forward; with this, the pass went from 2.3 s to 1.0 s. The weight is permuted on the host
 * (one read and one write of it per call), which costs far less than the slow kernel saves.
 */
final class ForwardTranspose {
    private ForwardTranspose() {
    }

    /** True when {@link #apply} computes the transpose of a convolution with these parameters and kernel. */
    static boolean applies(Conv2dParams p, int kernelH, int kernelW) {
        boolean undilated = p.dilationH() == 1 && p.dilationW() == 1;
        boolean strideOne = p.strideH() == 1 && p.strideW() == 1 && p.padH() <= kernelH - 1
                && p.padW() <= kernelW - 1;
        boolean pointwise = kernelH == 1 && kernelW == 1 && p.padH() == 0 && p.padW() == 0;
        return undilated && (strideOne || pointwise);
    }

    /** {@code conv2dBackwardInput(s, weight, inputShape, p)} as a forward convolution (see {@link #applies}). */
    static Tensor apply(Device d, Tensor s, Tensor weight, Shape inputShape, Conv2dParams p) {
        Shape w = weight.shape();
        int out = w.dim(0);
        int in = w.dim(1);
        int kh = w.dim(2);
        int kw = w.dim(3);
        float[] source = weight.toArray();
        float[] flipped = new float[source.length];
        int taps = kh * kw;
        for (int o = 0; o < out; o++) {
            for (int c = 0; c < in; c++) {
                int from = (o * in + c) * taps;
                int to = (c * out + o) * taps;
                for (int t = 0; t < taps; t++) {
                    flipped[to + taps - 1 - t] = source[from + t]; // (i,j) -> (kh-1-i, kw-1-j)
                }
            }
        }
        try (Tensor transposed = d.fromArray(Shape.of(in, out, kh, kw), flipped)) {
            Conv2dParams full = new Conv2dParams(1, 1, kh - 1 - p.padH(), kw - 1 - p.padW(), 1, 1);
            Tensor c = d.conv2d(s, transposed, null, full);
            if (p.strideH() == 1 && p.strideW() == 1) {
                return c;
            }
            try (c) { // 1x1 with a stride: output pixel (y,x) belongs to input pixel (y*sh, x*sw)
                return d.avgPool2dBackward(c, inputShape, new Pool2dParams(1, 1, p.strideH(), p.strideW(), 0, 0,
                        false), true);
            }
        }
    }
}
