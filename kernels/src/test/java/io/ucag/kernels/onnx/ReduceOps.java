package io.ucag.kernels.onnx;

import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.ReduceOp;
import java.util.Set;

/**
 * ReduceSum, ReduceMean and ReduceMax onto {@code reduce}. Axes come from the {@code axes} input (ReduceSum
 * from opset 13) or attribute; none means all axes, unless {@code noop_with_empty_axes=1}, which returns the
 * input unchanged (no device op runs). A full reduction without keepdims is a scalar in ONNX and shape (1) here.
 */
final class ReduceOps {
    private ReduceOps() {
    }

    static Tensor reduce(NodeContext ctx, ReduceOp op) {
        ctx.requireOnlyAttributes(Set.of("axes", "keepdims", "noop_with_empty_axes"));
        long[] axes = ctx.has(1) ? ctx.longs(1) : ctx.intsAttribute("axes", new long[0]);
        boolean keepDims = ctx.intAttribute("keepdims", 1) != 0;
        Tensor x = ctx.tensor(0);
        if (axes.length == 0) {
            if (ctx.intAttribute("noop_with_empty_axes", 0) != 0) {
                return x;
            }
            axes = new long[x.shape().rank()];
            for (int i = 0; i < axes.length; i++) {
                axes[i] = i;
            }
        }
        int[] intAxes = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            intAxes[i] = Math.toIntExact(axes[i]);
        }
        return ctx.device().reduce(x, op, intAxes, keepDims);
    }
}
