package io.ucag.kernels.opencl;

import io.ucag.runtime.BroadcastPlan;
import io.ucag.runtime.OpShapes;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** Launches the kernels of {@code elementwise.cl}. */
final class ClElementwise {
    private static final String FILE = "elementwise.cl";
    /** Outer groups the {@code _nd} broadcast kernels index besides the mid and inner ones (plans have <= 6). */
    private static final int OUTER_GROUPS = 4;
    private static final Object[] NONE = {};
    private static final Object[] PLAIN_SUM = {0}; // planes_add's relu argument
    private static final Object[] RELU_OF_SUM = {1};

    private ClElementwise() {
    }

    static Tensor batchNorm(ClDevice d, Tensor x, Tensor mean, Tensor var, Tensor gamma, Tensor beta, float eps) {
        Shape xs = OpShapes.batchNorm(x, mean, var, gamma, beta, eps);
        int channels = xs.dim(1);
        int inner = xs.size(2, xs.rank());
        int batch = xs.dim(0);
        Tensor y = d.allocate(xs);
        d.kernel(FILE, "batch_norm").launch(new long[] {inner, channels, batch}, null,
                x, y, mean, var, gamma, beta, eps, inner, channels, batch);
        return y;
    }

    static Tensor relu(ClDevice d, Tensor x) {
        Tensor[] y = planeWise(d, "planes_relu", x.shape(), 1, false, NONE, x);
        return y != null ? y[0] : unary(d, "elementwise_relu", x, x.shape());
    }

    static Tensor add(ClDevice d, Tensor a, Tensor b) {
        Tensor[] y = a.shape().equals(b.shape()) ? planeWise(d, "planes_add", a.shape(), 1, false, PLAIN_SUM, a, b)
                : null;
        return y != null ? y[0] : broadcast(d, "add", a, b);
    }

    /** {@link io.ucag.runtime.Device#addRelu} in one pass where a and b are 4-D of one shape. */
    static Tensor addRelu(ClDevice d, Tensor a, Tensor b) {
        Tensor[] y = a.shape().equals(b.shape()) ? planeWise(d, "planes_add", a.shape(), 1, true, RELU_OF_SUM, a, b)
                : null;
        if (y != null) {
            return y[0];
        }
        try (Tensor sum = broadcast(d, "add", a, b)) {
            return relu(d, sum);
        }
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
        Tensor[] shares = planeWise(d, "planes_positive_shares", shape, 2, false, new Object[] {step}, mine, other,
                relevance); // padded operands: the pair's kernel, one share kept
        if (shares != null) {
            shares[1].close();
            return shares[0];
        }
        Tensor y = d.allocate(shape);
        int count = shape.numel();
        d.kernel(FILE, "positive_share").launch(new long[] {count}, null, mine, other, relevance, y, step,
                count);
        return y;
    }

    /** {@link io.ucag.runtime.Device#positiveShares} in one pass where the operands are 4-D. */
    static Tensor[] positiveShares(ClDevice d, Tensor a, Tensor b, Tensor relevance, float step) {
        Shape shape = OpShapes.positiveShare(a, b, relevance);
        Tensor[] shares = planeWise(d, "planes_positive_shares", shape, 2, true, new Object[] {step}, a, b,
                relevance);
        if (shares != null) {
            return shares;
        }
        Tensor first = positiveShare(d, a, b, relevance, step);
        try {
            return new Tensor[] {first, positiveShare(d, b, a, relevance, step)};
        } catch (RuntimeException e) {
            first.close();
            throw e;
        }
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
     * {@code kernel(operands..., outputs..., params..., plane, operand strides..., output stride)} over the (n, c)
     * planes of {@code shape} (every operand's shape): the {@code planes_*} kernels read each operand with its own
     * plane stride and store with the padded one where an operand is padded (ClDevice.allocatePlanes), so that the
     * convolutions around the relevance rules' residual sums and shares read the layout they read fastest (an
     * operand of dense 81x81 planes in a 1x1 convolution's store, 64 -> 256 channels, batch 3: 7.3 vs 4.4 ms).
     * Null where a padded operand was reshaped to other planes (its compact copy applies), where {@code shape} is not
     * 4-D, or, unless {@code evenIfDense}, where no operand is padded (the flat dense kernels apply).
     */
    private static Tensor[] planeWise(ClDevice d, String kernel, Shape shape, int outputs, boolean evenIfDense,
                                      Object[] params, Tensor... operands) {
        if (shape.rank() != 4) {
            return null;
        }
        int plane = shape.dim(2) * shape.dim(3);
        int stride = 0;
        for (Tensor t : operands) {
            ClBuffer b = (ClBuffer) t.buffer();
            if (b.padded()) {
                if (b.planeSize() != plane) {
                    return null;
                }
                stride = b.planeStride(); // one shape, one stride (ClDevice.PLANE_ALIGNMENT)
            }
        }
        if (stride == 0 && !evenIfDense) {
            return null;
        }
        Tensor[] ys = new Tensor[outputs];
        try {
            for (int k = 0; k < outputs; k++) {
                ys[k] = stride > 0 ? d.allocatePadded(shape, stride) : d.allocate(shape);
            }
        } catch (RuntimeException e) {
            Arrays.stream(ys).filter(Objects::nonNull).forEach(Tensor::close);
            throw e;
        }
        List<Object> args = new ArrayList<>(List.of(operands));
        args.addAll(List.of(ys));
        args.addAll(List.of(params));
        args.add(plane);
        for (Tensor t : operands) {
            args.add(ClDevice.planeStride(t));
        }
        args.add(stride > 0 ? stride : plane);
        d.kernel(FILE, kernel).launch(new long[] {(plane + 15) / 16, (long) shape.dim(0) * shape.dim(1)},
                null, args.toArray());
        return ys;
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
            d.kernel(FILE, kernel + "_3d").launch(global, null, a, b, y, inner, mid, outer,
                    sa[last], sa[last - 1], sa[last - 2], sb[last], sb[last - 1], sb[last - 2]);
        } else {
            d.kernel(FILE, kernel + "_nd").launch(global, null, a, b, y, inner, mid, outer,
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
        Arrays.fill(padded, 0, front, fill);
        System.arraycopy(values, 0, padded, front, values.length);
        return padded;
    }
}
