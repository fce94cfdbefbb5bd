package io.ucag.kernels.opencl;

import io.ucag.runtime.BroadcastPlan;
import io.ucag.runtime.OpShapes;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;

/** Launches the kernels of {@code elementwise.cl}. */
final class ClElementwise {
    private static final String FILE = "elementwise.cl";
    /** Outer groups the broadcast kernels index besides the innermost one. */
    private static final int OUTER_GROUPS = 5;

    private ClElementwise() {
    }

    static Tensor batchNorm(ClDevice d, Tensor x, Tensor mean, Tensor var, Tensor gamma, Tensor beta, float eps) {
        Shape xs = OpShapes.batchNorm(x, mean, var, gamma, beta, eps);
        int channels = xs.dim(1);
        int inner = xs.size(2, xs.rank());
        int planes = xs.numel() / inner;
        Tensor y = d.allocate(xs);
        d.kernel(FILE, "batch_norm").launch(new long[] {inner, planes}, null,
                x, y, mean, var, gamma, beta, eps, inner, planes, channels);
        return y;
    }

    static Tensor relu(ClDevice d, Tensor x) {
        return unary(d, "elementwise_relu", x, x.shape());
    }

    static Tensor add(ClDevice d, Tensor a, Tensor b) {
        return broadcast(d, "broadcast_add", BroadcastPlan.of("add", a.shape(), b.shape()), a, b);
    }

    static Tensor mul(ClDevice d, Tensor a, Tensor b) {
        return broadcast(d, "broadcast_mul", BroadcastPlan.of("mul", a.shape(), b.shape()), a, b);
    }

    static Tensor scale(ClDevice d, Tensor x, float factor) {
        return unary(d, "elementwise_scale", x, x.shape(), factor);
    }

    static Tensor exp(ClDevice d, Tensor x) {
        return unary(d, "elementwise_exp", x, x.shape());
    }

    static Tensor clamp(ClDevice d, Tensor x, float min, float max) {
        return unary(d, "elementwise_clamp", x, OpShapes.clamp(x, min, max), min, max);
    }

    /** Launches {@code kernel(in, out, params..., count)} over every element. */
    private static Tensor unary(ClDevice d, String kernel, Tensor x, Shape shape, Object... params) {
        Tensor y = d.allocate(shape);
        int count = shape.numel();
        Object[] args = new Object[params.length + 3];
        args[0] = x;
        args[1] = y;
        System.arraycopy(params, 0, args, 2, params.length);
        args[args.length - 1] = count;
        d.kernel(FILE, kernel).launch(new long[] {count}, null, args);
        return y;
    }

    /** Left-pads the plan's outer groups to {@link #OUTER_GROUPS} (size 1, stride 0) and launches the kernel. */
    private static Tensor broadcast(ClDevice d, String kernel, BroadcastPlan plan, Tensor a, Tensor b) {
        int[] dims = plan.dims();
        int outer = dims.length - 1;
        int[] outerDims = new int[OUTER_GROUPS];
        int[] stridesA = new int[OUTER_GROUPS];
        int[] stridesB = new int[OUTER_GROUPS];
        java.util.Arrays.fill(outerDims, 1);
        for (int g = 0; g < outer; g++) {
            int slot = OUTER_GROUPS - outer + g;
            outerDims[slot] = dims[g];
            stridesA[slot] = plan.stridesA()[g];
            stridesB[slot] = plan.stridesB()[g];
        }
        int inner = plan.innerSize();
        int rows = plan.outShape().numel() / inner;
        Tensor y = d.allocate(plan.outShape());
        d.kernel(FILE, kernel).launch(new long[] {inner, rows}, null,
                a, b, y, inner, rows, plan.stridesA()[outer], plan.stridesB()[outer],
                outerDims[1], outerDims[2], outerDims[3], outerDims[4],
                stridesA[0], stridesA[1], stridesA[2], stridesA[3], stridesA[4],
                stridesB[0], stridesB[1], stridesB[2], stridesB[3], stridesB[4]);
        return y;
    }
}
