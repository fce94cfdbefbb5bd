package io.ucag.runtime;

import java.util.Arrays;

/**
 * How to walk a binary op with NumPy broadcasting, shared by the backends: the output shape and the fewest
 * axes ("groups") that index it. Adjacent output axes merge when both inputs step through them linearly
 * (stride of the outer = stride of the inner times its size, which includes two broadcast axes), and
 * output axes of size 1 vanish, so e.g. (N,C,H,W)+(C,1,1) becomes 3 groups (N, C, H*W) and two equal shapes
 * become one group.
 *
 * <p>Element {@code (i_0, .., i_k)} of the groups is {@code out[sum i_j * outStride_j]},
 * {@code a[sum i_j * stridesA[j]]} and {@code b[sum i_j * stridesB[j]]}; strides are 0 on broadcast axes.
 *
 * @param outShape the broadcast output shape
 * @param dims     group sizes, outermost first; at least one group (a single (1) for a 1-element output)
 * @param stridesA element strides of input a per group
 * @param stridesB element strides of input b per group
 */
public record BroadcastPlan(Shape outShape, int[] dims, int[] stridesA, int[] stridesB) {

    /** Plans {@code op(a, b)}; throws the op's error when the shapes do not broadcast. */
    public static BroadcastPlan of(String op, Shape a, Shape b) {
        Shape out = OpShapes.broadcast(op, a, b);
        int[] outDims = out.dims();
        int[] sa = OpShapes.broadcastStrides(a, out);
        int[] sb = OpShapes.broadcastStrides(b, out);
        int rank = outDims.length;
        int[] dims = new int[rank];
        int[] ga = new int[rank];
        int[] gb = new int[rank];
        int groups = 0; // built innermost first
        for (int i = rank - 1; i >= 0; i--) {
            if (outDims[i] == 1) {
                continue;
            }
            int g = groups - 1;
            if (groups > 0 && sa[i] == ga[g] * dims[g] && sb[i] == gb[g] * dims[g]) {
                dims[g] *= outDims[i];
            } else {
                dims[groups] = outDims[i];
                ga[groups] = sa[i];
                gb[groups] = sb[i];
                groups++;
            }
        }
        if (groups == 0) {
            return new BroadcastPlan(out, new int[] {1}, new int[] {0}, new int[] {0});
        }
        return new BroadcastPlan(out, reversed(dims, groups), reversed(ga, groups), reversed(gb, groups));
    }

    /** Number of groups (1..{@link Shape#MAX_RANK}). */
    public int rank() {
        return dims.length;
    }

    /** Size of the innermost group, the run of elements both inputs step through with a fixed stride. */
    public int innerSize() {
        return dims[dims.length - 1];
    }

    private static int[] reversed(int[] values, int count) {
        int[] r = new int[count];
        for (int i = 0; i < count; i++) {
            r[i] = values[count - 1 - i];
        }
        return r;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BroadcastPlan p && outShape.equals(p.outShape) && Arrays.equals(dims, p.dims)
                && Arrays.equals(stridesA, p.stridesA) && Arrays.equals(stridesB, p.stridesB);
    }

    @Override
    public int hashCode() {
        return outShape.hashCode() * 31 + Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return "BroadcastPlan" + outShape + " dims " + Arrays.toString(dims) + " a " + Arrays.toString(stridesA)
                + " b " + Arrays.toString(stridesB);
    }
}
