package io.ucag.kernels.onnx;

import io.ucag.runtime.Device;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.Pool2dParams;
import io.ucag.runtime.ops.ReduceOp;
import java.util.Arrays;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * MaxPool, AveragePool, GlobalAveragePool and GlobalMaxPool onto {@code maxPool2d}, {@code avgPool2d},
 * {@code adaptiveAvgPool2d} and {@code reduce}. 1-D pooling runs as 2-D with height 1. ONNX padding that
 * {@link Pool2dParams} cannot hold directly (asymmetric, or wider than half the window) is realised exactly:
 * by symmetric padding and cropping the extra outputs, or by explicit constant padding (-inf for max, 0 for
 * average with {@code count_include_pad=1}).
 */
final class PoolingOps {
    private PoolingOps() {
    }

    static Tensor maxPool(NodeContext ctx) {
        ctx.requireOnlyAttributes(Set.of("auto_pad", "ceil_mode", "dilations", "kernel_shape", "pads",
                "storage_order", "strides"));
        if (ctx.node().outputs().size() > 1 && !ctx.node().outputs().get(1).isEmpty()) {
            throw new UnsupportedCase("argmax output", "MaxPool output 'Indices' (flat argmax indices, "
                    + "storage_order=" + ctx.intAttribute("storage_order", 0) + ") has no device op");
        }
        Device d = ctx.device();
        return pool(ctx, d::maxPool2d, Float.NEGATIVE_INFINITY);
    }

    static Tensor averagePool(NodeContext ctx) {
        ctx.requireOnlyAttributes(Set.of("auto_pad", "ceil_mode", "count_include_pad", "kernel_shape", "pads",
                "strides"));
        boolean includePad = ctx.intAttribute("count_include_pad", 0) != 0;
        Device d = ctx.device();
        return pool(ctx, (x, p) -> d.avgPool2d(x, p, includePad), includePad ? 0f : null);
    }

    static Tensor globalAveragePool(NodeContext ctx) {
        ctx.requireOnlyAttributes(Set.of());
        int[] dims = ctx.dims(0);
        Window2d.spatialRank(ctx, dims);
        Device d = ctx.device();
        Tensor y = d.adaptiveAvgPool2d(Window2d.to4d(d, ctx.tensor(0)), 1, 1);
        return Window2d.restoreRank(d, y, dims.length);
    }

    /** Max over every spatial axis, keeping them as size 1 (any spatial rank). */
    static Tensor globalMaxPool(NodeContext ctx) {
        ctx.requireOnlyAttributes(Set.of());
        int rank = ctx.dims(0).length;
        int[] spatial = new int[rank - 2];
        Arrays.setAll(spatial, i -> i + 2);
        return ctx.device().reduce(ctx.tensor(0), ReduceOp.MAX, spatial, true);
    }

    /**
     * Runs {@code op} with the node's window. {@code explicitPad} is the value that padding stands for when it
     * may be materialised with {@code Device.pad} (null when the op must not count padding at all).
     */
    private static Tensor pool(NodeContext ctx, BiFunction<Tensor, Pool2dParams, Tensor> op, Float explicitPad) {
        int[] dims = ctx.dims(0);
        Window2d w = Window2d.of(ctx, dims, null);
        if (w.dilations()[0] != 1 || w.dilations()[1] != 1) {
            throw new UnsupportedCase("dilations", "dilations=" + Arrays.toString(w.dilations())
                    + ": Pool2dParams has no dilation");
        }
        boolean ceil = ctx.intAttribute("ceil_mode", 0) != 0;
        Device d = ctx.device();
        Tensor x = Window2d.to4d(d, ctx.tensor(0));
        int[] k = w.kernel();
        int[] s = w.strides();
        int[] b = w.padBegin();
        int[] e = w.padEnd();
        int[] p = {Math.max(b[0], e[0]), Math.max(b[1], e[1])};
        boolean fits = 2 * p[0] <= k[0] && 2 * p[1] <= k[1]; // PyTorch's limit on pooling padding
        Tensor y;
        if (w.symmetric() && fits) {
            y = op.apply(x, new Pool2dParams(k[0], k[1], s[0], s[1], b[0], b[1], ceil));
        } else if (fits && (p[0] - b[0]) % s[0] == 0 && (p[1] - b[1]) % s[1] == 0) {
            // symmetric padding max(begin, end) adds windows only before and after ONNX's: crop them away
            Tensor wide = op.apply(x, new Pool2dParams(k[0], k[1], s[0], s[1], p[0], p[1], ceil));
            int[] out = {onnxOutSize(w, 0, ceil), onnxOutSize(w, 1, ceil)};
            y = d.crop(wide, (p[0] - b[0]) / s[0], (p[1] - b[1]) / s[1], out[0], out[1]);
        } else if (explicitPad != null) {
            Tensor padded = d.pad(x, b[0], e[0], b[1], e[1], explicitPad);
            y = op.apply(padded, new Pool2dParams(k[0], k[1], s[0], s[1], 0, 0, ceil));
        } else {
            String why = fits ? "are asymmetric by a non-multiple of strides " + Arrays.toString(s)
                    : "exceed half of kernel_shape " + Arrays.toString(k) + " (PyTorch's limit, kept by Pool2dParams)";
            throw new UnsupportedCase("pads", "pads begin " + Arrays.toString(b) + " end " + Arrays.toString(e)
                    + " " + why + ", and padding that count_include_pad=0 leaves out cannot be made explicit");
        }
        return Window2d.restoreRank(d, y, dims.length);
    }

    /** ONNX's output size: {@code floor_or_ceil((in + begin + end - k) / s) + 1}. */
    private static int onnxOutSize(Window2d w, int axis, boolean ceil) {
        int span = w.in()[axis] + w.padBegin()[axis] + w.padEnd()[axis] - w.kernel()[axis];
        int s = w.strides()[axis];
        return (ceil ? Math.floorDiv(span + s - 1, s) : Math.floorDiv(span, s)) + 1;
    }
}
