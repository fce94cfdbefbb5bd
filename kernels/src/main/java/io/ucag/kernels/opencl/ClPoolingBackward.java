package io.ucag.kernels.opencl;

import io.ucag.runtime.GradShapes;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.Pool2dParams;

/**
 * Launchers of pooling_backward.cl, with the semantics of the Java reference {@code JavaPoolingBackward}. No
 * atomics and deterministic: input pixels gather the gradients of the windows that contain them, except for
 * max pooling with non-overlapping windows, where each window writes its one arg-max pixel.
 */
final class ClPoolingBackward {
    private static final String FILE = "pooling_backward.cl";

    private ClPoolingBackward() {
    }

    static Tensor maxPool2dBackward(ClDevice d, Tensor gradOut, Tensor input, Pool2dParams p) {
        Shape xs = GradShapes.pool2dBackward("maxPool2dBackward", gradOut, input.shape(), p);
        Shape ys = gradOut.shape();
        Object[] geometry = geometry(xs, ys, p);
        if (p.strideH() >= p.kernelH() && p.strideW() >= p.kernelW()) {
            Tensor result = d.zeros(xs); // pixels no window picks keep their zero
            d.kernel(FILE, "max_pool2d_backward_disjoint").launch(grid(ys), null,
                    args(new Object[] {gradOut, input, result}, geometry));
            return result;
        }
        // int offsets, in a buffer of the gradient's size; padded planes read as they are
        try (Tensor argMax = d.allocate(ys); Tensor x = d.planar(input); Tensor g = d.planar(gradOut)) {
            d.kernel(FILE, "max_pool2d_arg_max").launch(ClPooling.rows(ys), null,
                    args(new Object[] {x, argMax}, geometry, ClDevice.planeStride(x)));
            Tensor result = d.allocate(xs);
            d.kernel(FILE, "max_pool2d_backward").launch(ClPooling.rows(xs), null,
                    args(new Object[] {g, argMax, result}, geometry, ClDevice.planeStride(g)));
            return result;
        }
    }

    static Tensor avgPool2dBackward(ClDevice d, Tensor gradOut, Shape inputShape, Pool2dParams p,
                                    boolean countIncludePad) {
        Shape xs = GradShapes.pool2dBackward("avgPool2dBackward", gradOut, inputShape, p);
        Tensor result = d.allocate(xs);
        d.kernel(FILE, "avg_pool2d_backward").launch(ClPooling.rows(xs), null,
                args(new Object[] {gradOut, result}, geometry(xs, gradOut.shape(), p), countIncludePad ? 1 : 0));
        return result;
    }

    static Tensor adaptiveAvgPool2dBackward(ClDevice d, Tensor gradOut, Shape inputShape) {
        Shape xs = GradShapes.adaptiveAvgPool2dBackward(gradOut, inputShape);
        Tensor result = d.allocate(xs);
        d.kernel(FILE, "adaptive_avg_pool2d_backward").launch(ClPooling.rows(xs), null, gradOut, result,
                xs.dim(0) * xs.dim(1), xs.dim(2), xs.dim(3), gradOut.shape().dim(2), gradOut.shape().dim(3));
        return result;
    }

    /** One work item per pixel of an (N,C,H,W) tensor: (W, H, N*C). */
    private static long[] grid(Shape s) {
        return new long[] {s.dim(3), s.dim(2), (long) s.dim(0) * s.dim(1)};
    }

    /** The kernels' geometry arguments: planes, H, W, OH, OW, KH, KW, SH, SW, PH, PW. */
    private static Object[] geometry(Shape xs, Shape ys, Pool2dParams p) {
        return new Object[] {xs.dim(0) * xs.dim(1), xs.dim(2), xs.dim(3), ys.dim(2), ys.dim(3), p.kernelH(),
            p.kernelW(), p.strideH(), p.strideW(), p.padH(), p.padW()};
    }

    private static Object[] args(Object[] tensors, Object[] geometry, Object... rest) {
        Object[] all = new Object[tensors.length + geometry.length + rest.length];
        System.arraycopy(tensors, 0, all, 0, tensors.length);
        System.arraycopy(geometry, 0, all, tensors.length, geometry.length);
        System.arraycopy(rest, 0, all, tensors.length + geometry.length, rest.length);
        return all;
    }
}
