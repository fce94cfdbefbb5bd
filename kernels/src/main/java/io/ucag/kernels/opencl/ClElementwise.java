package io.ucag.kernels.opencl;

import io.ucag.runtime.BroadcastPlan;
import io.ucag.runtime.OpShapes;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import java.util.ArrayList;
import java.util.List;

/** Launches the kernels of {@code elementwise.cl}. */
final class ClElementwise {
    private static final String FILE = "elementwise.cl";
    /**
     * Float division exactly rounded, as Java's and torch's: OpenCL C otherwise allows 2.5 ulp. It also makes
     * batch_norm's sqrt exact, as Java's Math.sqrt. PoCL and the usual GPU drivers support it.
     */
    private static final String OPTIONS = "-cl-fp32-correctly-rounded-divide-sqrt";
    /** Outer groups the {@code _nd} broadcast kernels index besides the mid and inner ones (plans have <= 6). */
    private static final int OUTER_GROUPS = 4;

    private ClElementwise() {
    }

    static Tensor batchNorm(ClDevice d, Tensor x, Tensor mean, Tensor var, Tensor gamma, Tensor beta, float eps) {
        Shape xs = OpShapes.batchNorm(x, mean, var, gamma, beta, eps);
        int channels = xs.dim(1);
        int inner = xs.size(2, xs.rank());
        int batch = xs.dim(0);
        Tensor y = d.allocate(xs);
        d.kernel(FILE, "batch_norm", OPTIONS).launch(new long[] {inner, channels, batch}, null,
                x, y, mean, var, gamma, beta, eps, inner, channels, batch);
        return y;
    }

    static Tensor relu(ClDevice d, Tensor x) {
        Tensor y = planeWise(d, "planes_relu", x.shape(), new Object[0], x);
        return y != null ? y : unary(d, "elementwise_relu", x, x.shape());
    }

    static Tensor add(ClDevice d, Tensor a, Tensor b) {
        Tensor y = a.shape().equals(b.shape()) ? planeWise(d, "planes_add", a.shape(), new Object[0], a, b) : null;
        return y != null ? y : broadcast(d, "add", a, b);
    }

    static Tensor mul(ClDevice d, Tensor a, Tensor b) {
        return broadcast(d, "mul", a, b);
    }

    static Tensor div(ClDevice d, Tensor a, Tensor b) {
        return broadcast(d, "div", a, b);
    }

    /** {@link io.ucag.runtime.Device#positiveShare} in one pass (elementwise.cl's positive_share). */
    static Tensor positiveShare(ClDevice d, Tensor mine, Tensor other, Tensor relevance, float step) {
        Shape shape = OpShapes.positiveShare(mine, other, relevance);
        Tensor padded = planeWise(d, "planes_positive_share", shape, new Object[] {step}, mine, other, relevance);
        if (padded != null) {
            return padded;
        }
        Tensor y = d.allocate(shape);
        int count = shape.numel();
        d.kernel(FILE, "positive_share", OPTIONS).launch(new long[] {count}, null, mine, other, relevance, y, step,
                count);
        return y;
    }

    static Tensor scale(ClDevice d, Tensor x, float factor) {
        return unary(d, "elementwise_scale", x, x.shape(), factor);
    }

    static Tensor abs(ClDevice d, Tensor x) {
        return unary(d, "elementwise_abs", x, x.shape());
    }

    /** {@code torch.sign}: -1, 0 or 1, with 0.0 for -0.0 and for NaN (as torch 1.13). */
    static Tensor sign(ClDevice d, Tensor x) {
        return unary(d, "elementwise_sign", x, x.shape());
    }

    static Tensor exp(ClDevice d, Tensor x) {
        return unary(d, "elementwise_exp", x, x.shape());
    }

    static Tensor clamp(ClDevice d, Tensor x, float min, float max) {
        return unary(d, "elementwise_clamp", x, OpShapes.clamp(x, min, max), min, max);
    }

    /**
     * {@code kernel(operands..., out, params..., plane, operand strides..., out stride)} over the (n, c) planes of
     * {@code shape} (every operand's shape), where some operand's planes are padded (ClDevice.allocatePlanes):
     * the {@code planes_*} kernels read each operand with its own plane stride and store with the padded one, so
     * that the convolutions around the relevance rules' residual sums and shares read the layout they read fastest
     * (an operand of dense 81x81 planes in a 1x1 convolution's store, 64 -> 256 channels, batch 3: 7.3 vs 4.4 ms).
     * Null where no operand is padded in (n, c) planes of {@code shape}: the dense kernels apply.
     */
    private static Tensor planeWise(ClDevice d, String kernel, Shape shape, Object[] params, Tensor... operands) {
        int stride = 0;
        for (Tensor t : operands) {
            ClBuffer b = (ClBuffer) t.buffer();
            if (b.padded()) {
                if (shape.rank() != 4 || b.planeSize() != shape.dim(2) * shape.dim(3)) {
                    return null; // a padded tensor reshaped to other planes: the compact copy applies
                }
                stride = b.planeStride(); // one shape, one stride (ClDevice.PLANE_ALIGNMENT)
            }
        }
        if (stride == 0) {
            return null;
        }
        Tensor y = d.allocatePadded(shape, stride);
        int plane = shape.dim(2) * shape.dim(3);
        List<Object> args = new ArrayList<>(List.of(operands));
        args.add(y);
        args.addAll(List.of(params));
        args.add(plane);
        for (Tensor t : operands) {
            args.add(ClDevice.planeStride(t));
        }
        args.add(stride);
        d.kernel(FILE, kernel, OPTIONS).launch(new long[] {stride, (long) shape.dim(0) * shape.dim(1)}, null,
                args.toArray());
        return y;
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
        d.kernel(FILE, kernel, OPTIONS).launch(new long[] {count}, null, args);
        return y;
    }

    /**
     * {@code a op b} with broadcasting ({@code op} is add, mul or div): views the plan's groups as
     * (outer..., mid, inner) and launches {@code broadcast_<op>_3d} when there is at most one outer group, else
     * {@code broadcast_<op>_nd} with the outer groups left-padded to {@link #OUTER_GROUPS}.
     */
    private static Tensor broadcast(ClDevice d, String op, Tensor a, Tensor b) {
        BroadcastPlan plan = BroadcastPlan.of(op, a.shape(), b.shape());
        String kernel = "broadcast_" + op;
        int rank = plan.rank();
        int[] dims = padFront(plan.dims(), 1);
        int[] sa = padFront(plan.stridesA(), 0);
        int[] sb = padFront(plan.stridesB(), 0);
        int inner = dims[dims.length - 1];
        int mid = dims[dims.length - 2];
        int outer = plan.outShape().numel() / (inner * mid);
        long[] global = {inner, mid, outer};
        Tensor y = d.allocate(plan.outShape());
        int last = dims.length - 1;
        if (rank <= 3) {
            d.kernel(FILE, kernel + "_3d", OPTIONS).launch(global, null, a, b, y, inner, mid, outer,
                    sa[last], sa[last - 1], sa[last - 2], sb[last], sb[last - 1], sb[last - 2]);
        } else {
            d.kernel(FILE, kernel + "_nd", OPTIONS).launch(global, null, a, b, y, inner, mid, outer,
                    dims[1], dims[2], dims[3],
                    sa[last], sa[last - 1], sa[0], sa[1], sa[2], sa[3],
                    sb[last], sb[last - 1], sb[0], sb[1], sb[2], sb[3]);
        }
        return y;
    }

    /** {@code values} preceded by {@code fill} up to {@link #OUTER_GROUPS} + 2 entries (outer groups, mid, inner). */
    private static int[] padFront(int[] values, int fill) {
        int[] padded = new int[OUTER_GROUPS + 2];
        int front = padded.length - values.length;
        java.util.Arrays.fill(padded, 0, front, fill);
        System.arraycopy(values, 0, padded, front, values.length);
        return padded;
    }
}
