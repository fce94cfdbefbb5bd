package io.ucag.kernels.opencl;

import io.ucag.runtime.OpShapes;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.java.ReductionGeometry;
import io.ucag.runtime.ops.ReduceOp;

/**
 * Launchers of {@code reduction.cl}: softmax and sum / mean / max over axes. Short lines or reductions run one
 * per work item; long ones get a work group each, and a long reduction with few outputs (a full sum) is split
 * over several groups whose partial results a second launch combines.
 */
final class ClReductions {
    private static final String FILE = "reduction.cl";
    /** Lines / reductions at most this long run serially in one work item. */
    private static final int SERIAL_LIMIT = 64;
    /** Work groups a split reduction aims for: enough to keep every compute unit of a GPU busy. */
    private static final int TARGET_GROUPS = 256;
    /** Fewest elements per work item and split, so that splitting is worth a second launch. */
    private static final int MIN_LOADS_PER_ITEM = 16;
    private static final int KERNEL_SUM = 0; // REDUCE_SUM in reduction.cl
    private static final int KERNEL_MAX = 1; // REDUCE_MAX
    private static final int GROUPS = 3;     // kept / reduced axis groups the kernels index
    private static final int COLUMN_VECTOR = 16; // REDUCE_VECTOR in reduction.cl

    private ClReductions() {
    }

    /** Which kernel a softmax or reduction uses; tests force each one, ops use {@link #AUTO}. */
    enum Strategy {
        /** Chosen from the sizes and the device. */
        AUTO,
        /** {@code softmax_item} / {@code reduce_item}: one work item per line / output. */
        ONE_ITEM_PER_OUTPUT,
        /** {@code softmax_group} / {@code reduce_group}: a work group per line / output (a reduction with few
         *  outputs is split over several groups and finished by a second launch). */
        WORK_GROUPS
    }

    static Tensor softmax(ClDevice d, Tensor x, int axis) {
        return softmax(d, x, axis, Strategy.AUTO);
    }

    static Tensor softmax(ClDevice d, Tensor x, int axis, Strategy strategy) {
        int a = OpShapes.softmaxAxis(x, axis);
        Shape s = x.shape();
        int length = s.dim(a);
        int inner = s.size(a + 1, s.rank());
        int lines = s.size(0, a) * inner;
        Tensor out = d.allocate(s);
        int wg = workGroupSize(d);
        boolean oneItem = switch (strategy) {
            case AUTO -> length <= SERIAL_LIMIT || (d.info().isCpu() && lines >= 8 * d.info().computeUnits());
            case ONE_ITEM_PER_OUTPUT -> true;
            case WORK_GROUPS -> false;
        };
        if (oneItem) {
            d.kernel(FILE, "softmax_item", options(wg)).launch(new long[] {lines}, null, x, out, length, inner, lines);
        } else {
            d.kernel(FILE, "softmax_group", options(wg))
                    .launch(new long[] {(long) lines * wg}, new long[] {wg}, x, out, length, inner);
        }
        return out;
    }

    static Tensor reduce(ClDevice d, Tensor x, ReduceOp op, int[] axes, boolean keepDims) {
        return reduce(d, x, op, axes, keepDims, Strategy.AUTO);
    }

    static Tensor reduce(ClDevice d, Tensor x, ReduceOp op, int[] axes, boolean keepDims, Strategy strategy) {
        int[] sorted = OpShapes.reduceAxes(x, axes);
        Shape outShape = OpShapes.reduce(x, sorted, keepDims);
        ReductionGeometry g = ReductionGeometry.of(x.shape(), sorted);
        int kernelOp = op == ReduceOp.MAX ? KERNEL_MAX : KERNEL_SUM;
        float divisor = op == ReduceOp.MEAN ? g.reducedCount() : 1f;
        Tensor out = d.allocate(outShape);
        Groups kept = new Groups(g.keptDims(), g.keptStrides());
        Groups reduced = new Groups(g.reducedDims(), g.reducedStrides());
        int count = g.reducedCount();
        int outputs = g.keptCount();
        int wg = workGroupSize(d);
        boolean oneItem = switch (strategy) {
            case AUTO -> count <= SERIAL_LIMIT || oneItemPerOutputPays(d, outputs, kept);
            case ONE_ITEM_PER_OUTPUT -> true;
            case WORK_GROUPS -> false;
        };
        if (oneItem) {
            if (kept.stride(GROUPS - 1) == 1 && kept.dim(GROUPS - 1) >= COLUMN_VECTOR) {
                reduceColumns(d, wg, x, out, kernelOp, divisor, outputs, kept, reduced);
            } else {
                reduceItem(d, wg, x, out, kernelOp, divisor, outputs, kept, reduced);
            }
            return out;
        }
        int splits = Math.max(1, Math.min(ceilDiv(TARGET_GROUPS, outputs), count / (wg * MIN_LOADS_PER_ITEM)));
        int chunk = ceilDiv(count, splits);
        splits = ceilDiv(count, chunk); // no empty split
        if (splits == 1) {
            reduceGroup(d, wg, x, out, kernelOp, divisor, outputs, 1, count, kept, reduced);
            return out;
        }
        // stage 1: partials (outputs, splits); stage 2: reduce each row of partials
        try (Tensor partial = d.allocate(Shape.of(outputs * splits))) {
            reduceGroup(d, wg, x, partial, kernelOp, 1f, outputs, splits, chunk, kept, reduced);
            Groups rows = new Groups(new int[] {outputs}, new int[] {splits});
            Groups row = new Groups(new int[] {splits}, new int[] {1});
            if (splits <= SERIAL_LIMIT) {
                reduceItem(d, wg, partial, out, kernelOp, divisor, outputs, rows, row);
            } else {
                reduceGroup(d, wg, partial, out, kernelOp, divisor, outputs, 1, splits, rows, row);
            }
        } // releasing the partials while queued is safe (see ClBuffer)
        return out;
    }

    /**
     * Long reductions still run one per work item when there are enough outputs to occupy the device and the
     * loads suit it: on a CPU (a work item is a loop iteration, serial loops are cheap), or on a GPU when the
     * innermost axis is kept, so that neighbouring items read neighbouring addresses.
     */
    private static boolean oneItemPerOutputPays(ClDevice d, int outputs, Groups kept) {
        if (d.info().isCpu()) {
            return outputs >= 8 * d.info().computeUnits();
        }
        boolean innermostKept = kept.dims().length > 0 && kept.stride(GROUPS - 1) == 1;
        return innermostKept && outputs >= TARGET_GROUPS;
    }

    private static void reduceItem(ClDevice d, int wg, Tensor in, Tensor out, int op, float divisor, int outputs,
                                   Groups kept, Groups reduced) {
        d.kernel(FILE, "reduce_item", options(wg)).launch(new long[] {outputs}, null,
                in, out, op, divisor, outputs,
                kept.dim(0), kept.dim(1), kept.dim(2), kept.stride(0), kept.stride(1), kept.stride(2),
                reduced.dim(0), reduced.dim(1), reduced.dim(2),
                reduced.stride(0), reduced.stride(1), reduced.stride(2));
    }

    /** reduce_columns: reduce_item on vectors of {@link #COLUMN_VECTOR} outputs along a contiguous kept axis. */
    private static void reduceColumns(ClDevice d, int wg, Tensor in, Tensor out, int op, float divisor, int outputs,
                                      Groups kept, Groups reduced) {
        int inner = kept.dim(GROUPS - 1);
        int rows = outputs / inner;
        d.kernel(FILE, "reduce_columns", options(wg)).launch(new long[] {(long) rows * ceilDiv(inner, COLUMN_VECTOR)},
                null, in, out, op, divisor, rows, kept.dim(0), kept.dim(1), inner, kept.stride(0), kept.stride(1),
                reduced.dim(0), reduced.dim(1), reduced.dim(2),
                reduced.stride(0), reduced.stride(1), reduced.stride(2));
    }

    private static void reduceGroup(ClDevice d, int wg, Tensor in, Tensor out, int op, float divisor, int outputs,
                                    int splits, int chunk, Groups kept, Groups reduced) {
        int count = reduced.count();
        d.kernel(FILE, "reduce_group", options(wg)).launch(new long[] {(long) outputs * splits * wg}, new long[] {wg},
                in, out, op, divisor, count, splits, chunk,
                kept.dim(0), kept.dim(1), kept.dim(2), kept.stride(0), kept.stride(1), kept.stride(2),
                reduced.dim(0), reduced.dim(1), reduced.dim(2),
                reduced.stride(0), reduced.stride(1), reduced.stride(2));
    }

    /** Up to three axis groups, padded on the outer side with (dim 1, stride 0) as the kernels expect. */
    private record Groups(int[] dims, int[] strides) {
        Groups {
            if (dims.length > GROUPS) { // cannot happen for rank <= 6: kept and reduced groups alternate
                throw new IllegalStateException("reduce: " + dims.length + " axis groups, kernels index " + GROUPS);
            }
        }

        int dim(int i) {
            int k = i - (GROUPS - dims.length);
            return k < 0 ? 1 : dims[k];
        }

        int stride(int i) {
            int k = i - (GROUPS - dims.length);
            return k < 0 ? 0 : strides[k];
        }

        int count() {
            int c = 1;
            for (int v : dims) {
                c *= v;
            }
            return c;
        }
    }

    /** The largest power of two <= 64 that the device allows in a work group. */
    static int workGroupSize(ClDevice d) {
        long max = Math.min(64, d.info().maxWorkGroupSize());
        return Integer.highestOneBit((int) Math.max(1, max));
    }

    private static String options(int wg) {
        return "-DWG_SIZE=" + wg;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
