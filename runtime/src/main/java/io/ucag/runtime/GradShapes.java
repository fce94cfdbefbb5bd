package io.ucag.runtime;

import static io.ucag.runtime.OpShapes.error;

import io.ucag.runtime.ops.Conv2dParams;
import io.ucag.runtime.ops.Pool2dParams;

/**
 * Argument checks and output shapes of the backward ops of {@link Device}: each gradient must have the shape
 * the forward op gives for the stated input, otherwise one error naming the op and both shapes.
 */
public final class GradShapes {
    private GradShapes() {
    }

    public static Shape conv2dBackwardInput(Tensor gradOut, Tensor weight, Shape inputShape, Conv2dParams p) {
        Shape ws = weight.shape();
        if (ws.rank() != 4 || inputShape.rank() != 4 || inputShape.dim(1) != ws.dim(1)) {
            throw error("conv2dBackwardInput", "weight " + ws + " does not fit input " + inputShape);
        }
        Shape expected = Shape.of(inputShape.dim(0), ws.dim(0), p.outH(inputShape.dim(2), ws.dim(2)),
                p.outW(inputShape.dim(3), ws.dim(3)));
        requireGradient("conv2dBackwardInput", gradOut, expected);
        return inputShape;
    }

    public static Shape conv2dBackwardWeight(Tensor gradOut, Tensor input, int kernelH, int kernelW,
                                             Conv2dParams p) {
        Shape xs = input.shape();
        if (xs.rank() != 4 || kernelH < 1 || kernelW < 1) {
            throw error("conv2dBackwardWeight", "needs an input (N,C,H,W) and a kernel >= 1x1, got " + xs + " and "
                    + kernelH + "x" + kernelW);
        }
        Shape gs = gradOut.shape();
        if (gs.rank() != 4) {
            throw error("conv2dBackwardWeight", "gradient " + gs + " must have rank 4");
        }
        Shape expected = Shape.of(xs.dim(0), gs.dim(1), p.outH(xs.dim(2), kernelH), p.outW(xs.dim(3), kernelW));
        requireGradient("conv2dBackwardWeight", gradOut, expected);
        return Shape.of(gs.dim(1), xs.dim(1), kernelH, kernelW);
    }

    public static Shape matmul(Tensor a, Tensor b, boolean transposeA, boolean transposeB) {
        Shape as = a.shape();
        Shape bs = b.shape();
        if (as.rank() != 2 || bs.rank() != 2) {
            throw error("matmul", "needs rank-2 tensors, got " + as + " and " + bs);
        }
        int m = transposeA ? as.dim(1) : as.dim(0);
        int ka = transposeA ? as.dim(0) : as.dim(1);
        int kb = transposeB ? bs.dim(1) : bs.dim(0);
        int n = transposeB ? bs.dim(0) : bs.dim(1);
        if (ka != kb) {
            throw error("matmul", "inner dimensions differ: " + as + (transposeA ? "^T" : "") + " times " + bs
                    + (transposeB ? "^T" : ""));
        }
        return Shape.of(m, n);
    }

    public static Shape pool2dBackward(String op, Tensor gradOut, Shape inputShape, Pool2dParams p) {
        if (inputShape.rank() != 4) {
            throw error(op, "input shape " + inputShape + " must have rank 4");
        }
        if (p.outH(inputShape.dim(2)) < 1 || p.outW(inputShape.dim(3)) < 1) {
            throw error(op, "input " + inputShape + " is smaller than the window of " + p);
        }
        Shape expected = Shape.of(inputShape.dim(0), inputShape.dim(1), p.outH(inputShape.dim(2)),
                p.outW(inputShape.dim(3)));
        requireGradient(op, gradOut, expected);
        return inputShape;
    }

    public static Shape adaptiveAvgPool2dBackward(Tensor gradOut, Shape inputShape) {
        Shape gs = gradOut.shape();
        if (inputShape.rank() != 4 || gs.rank() != 4 || gs.dim(0) != inputShape.dim(0)
                || gs.dim(1) != inputShape.dim(1)) {
            throw error("adaptiveAvgPool2dBackward", "gradient " + gs + " does not fit input " + inputShape);
        }
        return inputShape;
    }

    /** Pointwise backward ops: the gradient and the saved tensor have one shape. */
    public static Shape sameShape(String op, Tensor gradOut, Tensor saved) {
        requireGradient(op, gradOut, saved.shape());
        return saved.shape();
    }

    public static Shape maxReduceBackward(Tensor gradOut, Tensor input, Tensor output, int[] axes) {
        int[] sorted;
        try {
            sorted = OpShapes.reduceAxes(input, axes);
        } catch (IllegalArgumentException e) {
            throw error("maxReduceBackward", e.getMessage().replaceFirst("^reduce: ", ""));
        }
        Shape keep = OpShapes.reduce(input, sorted, true);
        requireGradient("maxReduceBackward", gradOut, keep);
        requireGradient("maxReduceBackward", output, keep);
        return input.shape();
    }

    public static Shape resizeBackward(Tensor gradOut, Shape inputShape) {
        Shape gs = gradOut.shape();
        if (gs.rank() != inputShape.rank() || gs.rank() < 2
                || !gs.with(-1, 1).with(-2, 1).equals(inputShape.with(-1, 1).with(-2, 1))) {
            throw error("resizeBackward", "gradient " + gs + " does not fit input " + inputShape);
        }
        return inputShape;
    }

    /** The checks of {@link OpShapes#gaussianBlur} under this op's name; the gradient has the input's shape. */
    public static Shape gaussianBlurBackward(Tensor gradOut, int kernelSize, float sigma) {
        return OpShapes.gaussianBlur("gaussianBlurBackward", gradOut, kernelSize, sigma);
    }

    public static Shape slice(Tensor x, int axis, int start, int length) {
        Shape xs = x.shape();
        int a;
        try {
            a = xs.normalizeAxis(axis);
        } catch (IllegalArgumentException e) {
            throw error("slice", e.getMessage());
        }
        if (start < 0 || length < 1 || start + length > xs.dim(a)) {
            throw error("slice", "range [" + start + "," + (start + length) + ") is outside axis " + a + " of " + xs);
        }
        return xs.with(a, length);
    }

    private static void requireGradient(String op, Tensor gradient, Shape expected) {
        if (!gradient.shape().equals(expected)) {
            throw error(op, "gradient " + gradient.shape() + " must have the forward output's shape " + expected);
        }
    }
}
