package io.ucag.kernels.opencl;

import io.ucag.runtime.GradShapes;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.Pool2dParams;

/**
 * Launchers of pooling_backward.cl: each input pixel gathers the gradients of the windows that contain it
 * (deterministic, no atomics), with the semantics of the Java reference {@code JavaPoolingBackward}.
 */
final class ClPoolingBackward {
    private static final String FILE = "pooling_backward.cl";

    private ClPoolingBackward() {
    }

    static Tensor maxPool2dBackward(ClDevice d, Tensor gradOut, Tensor input, Pool2dParams p) {
        Shape xs = GradShapes.pool2dBackward("maxPool2dBackward", gradOut, input.shape(), p);
        Tensor result = d.allocate(xs);
        d.kernel(FILE, "max_pool2d_backward").launch(new long[] {xs.numel()}, null, gradOut, input, result,
                xs.dim(0) * xs.dim(1), xs.dim(2), xs.dim(3), gradOut.shape().dim(2), gradOut.shape().dim(3),
                p.kernelH(), p.kernelW(), p.strideH(), p.strideW(), p.padH(), p.padW());
        return result;
    }

    static Tensor avgPool2dBackward(ClDevice d, Tensor gradOut, Shape inputShape, Pool2dParams p,
                                    boolean countIncludePad) {
        Shape xs = GradShapes.pool2dBackward("avgPool2dBackward", gradOut, inputShape, p);
        Tensor result = d.allocate(xs);
        d.kernel(FILE, "avg_pool2d_backward").launch(new long[] {xs.numel()}, null, gradOut, result,
                xs.dim(0) * xs.dim(1), xs.dim(2), xs.dim(3), gradOut.shape().dim(2), gradOut.shape().dim(3),
                p.kernelH(), p.kernelW(), p.strideH(), p.strideW(), p.padH(), p.padW(), countIncludePad ? 1 : 0);
        return result;
    }

    static Tensor adaptiveAvgPool2dBackward(ClDevice d, Tensor gradOut, Shape inputShape) {
        Shape xs = GradShapes.adaptiveAvgPool2dBackward(gradOut, inputShape);
        Tensor result = d.allocate(xs);
        d.kernel(FILE, "adaptive_avg_pool2d_backward").launch(new long[] {xs.numel()}, null, gradOut, result,
                xs.dim(0) * xs.dim(1), xs.dim(2), xs.dim(3), gradOut.shape().dim(2), gradOut.shape().dim(3));
        return result;
    }
}
