package io.ucag.runtime.java;

import io.ucag.runtime.GradShapes;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.Conv2dParams;

/**
 * Gradients of conv2d and the general matrix product, as matrix products on {@link PackedGemm}. With the
 * im2col matrix {@code X_col} of an image (see {@link ConvGradGeometry}), the forward is
 * {@code Y (O, P) = W (O, C*kh*kw) * X_col}, so
 * <ul>
 *   <li>input gradient: {@code dX_col = W^T * dY}, then col2im adds each entry back onto the input pixel it
 *       came from (windows overlap, pixels no window reaches keep 0);</li>
 *   <li>weight gradient: {@code dW = sum over images of dY * X_col^T}.</li>
 * </ul>
 * Both walk each image in blocks of output pixels so the im2col block stays a few MiB whatever the image size.
 */
final class JavaConvBackward {
    private JavaConvBackward() {
    }

    static Tensor conv2dBackwardInput(JavaDevice d, Tensor gradOut, Tensor weight, Shape inputShape,
                                      Conv2dParams params) {
        Shape xs = GradShapes.conv2dBackwardInput(gradOut, weight, inputShape, params);
        Shape ws = weight.shape();
        ConvGradGeometry g = ConvGradGeometry.of(xs, ws.dim(0), ws.dim(2), ws.dim(3), params);
        Tensor dxTensor = d.allocate(xs);
        float[] dy = d.data(gradOut);
        float[] dx = d.data(dxTensor);
        GemmMatrix wT = GemmMatrix.transposed(d.data(weight), 0, g.depth()); // (C*kh*kw, O)
        int pixels = g.pixels();
        int o = g.outChannels();
        if (g.isPointwise()) {
            for (int n = 0; n < g.batch(); n++) {
                GemmMatrix dyN = GemmMatrix.rowMajor(dy, n * o * pixels, pixels);
                GemmOutput dxN = GemmOutput.matrix(dx, n * g.channels() * pixels, pixels, false);
                PackedGemm.multiply(d.loop(), wT, dyN, dxN, g.depth(), o, pixels);
            }
            return dxTensor;
        }
        int block = g.blockPixels();
        float[] cols = new float[g.depth() * block];
        int kernelArea = g.kernelH() * g.kernelW();
        for (int n = 0; n < g.batch(); n++) {
            for (int p0 = 0; p0 < pixels; p0 += block) {
                int count = Math.min(block, pixels - p0);
                int image = n;
                int first = p0;
                GemmMatrix dyBlock = new GemmMatrix(dy, n * o * pixels + p0, pixels, 1); // (O, count)
                GemmOutput colsOut = GemmOutput.matrix(cols, 0, count, false);
                PackedGemm.multiply(d.loop(), wT, dyBlock, colsOut, g.depth(), o, count);
                // each channel owns its own input plane, so threads never add to the same pixel
                d.loop().forRange(g.channels(), (long) kernelArea * count,
                        (c0, c1) -> ConvColumns.scatterAdd(cols, g, image, first, count, dx, c0, c1));
            }
        }
        return dxTensor;
    }

    static Tensor conv2dBackwardWeight(JavaDevice d, Tensor gradOut, Tensor input, int kernelH, int kernelW,
                                       Conv2dParams params) {
        Shape wShape = GradShapes.conv2dBackwardWeight(gradOut, input, kernelH, kernelW, params);
        ConvGradGeometry g = ConvGradGeometry.of(input.shape(), wShape.dim(0), kernelH, kernelW, params);
        Tensor dwTensor = d.allocate(wShape);
        float[] dy = d.data(gradOut);
        float[] x = d.data(input);
        float[] dw = d.data(dwTensor);
        int pixels = g.pixels();
        int o = g.outChannels();
        int block = g.isPointwise() ? pixels : g.blockPixels();
        float[] cols = g.isPointwise() ? null : new float[g.depth() * block];
        int kernelArea = kernelH * kernelW;
        for (int n = 0; n < g.batch(); n++) {
            for (int p0 = 0; p0 < pixels; p0 += block) {
                int count = Math.min(block, pixels - p0);
                GemmMatrix dyBlock = new GemmMatrix(dy, n * o * pixels + p0, pixels, 1); // (O, count)
                GemmMatrix colsT; // X_col block transposed: (count, C*kh*kw)
                if (g.isPointwise()) {
                    colsT = GemmMatrix.transposed(x, n * g.channels() * pixels, pixels);
                } else {
                    // gathered straight into rows, so the GEMM copies its slices of B by rows; transposing them
                    // there instead costs as much, once per tile of O (measured), and dW^T = X_col * dY^T with
                    // its narrow rows of O was slower still
                    int image = n;
                    int first = p0;
                    d.loop().forRange(g.channels(), (long) kernelArea * count,
                            (c0, c1) -> ConvColumns.gatherRows(x, g, image, first, count, cols, c0, c1));
                    colsT = GemmMatrix.rowMajor(cols, 0, g.depth());
                }
                PackedGemm.multiply(d.loop(), dyBlock, colsT, GemmOutput.matrix(dw, 0, g.depth(), true), o, count,
                        g.depth());
            }
        }
        return dwTensor;
    }

    static Tensor matmul(JavaDevice d, Tensor a, Tensor b, boolean transposeA, boolean transposeB) {
        Shape out = GradShapes.matmul(a, b, transposeA, transposeB);
        int m = out.dim(0);
        int n = out.dim(1);
        int k = transposeA ? a.shape().dim(0) : a.shape().dim(1);
        GemmMatrix opA = transposeA ? GemmMatrix.transposed(d.data(a), 0, m) : GemmMatrix.rowMajor(d.data(a), 0, k);
        GemmMatrix opB = transposeB ? GemmMatrix.transposed(d.data(b), 0, k) : GemmMatrix.rowMajor(d.data(b), 0, n);
        Tensor y = d.allocate(out);
        PackedGemm.multiply(d.loop(), opA, opB, GemmOutput.matrix(d.data(y), 0, n, false), m, k, n);
        return y;
    }
}
