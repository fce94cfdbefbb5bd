package io.ucag.kernels.opencl;

import io.ucag.runtime.GradShapes;
import io.ucag.runtime.OpShapes;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import java.util.Arrays;

/**
 * Launchers of pointwise_backward.cl (relu, clamp, softmax and max-reduce gradients), with the semantics of the
 * Java reference {@code JavaPointwiseBackward}.
 */
final class ClPointwiseBackward {
    private static final String FILE = "pointwise_backward.cl";
    /** The rank the max-reduction kernels index (their MAX_RANK). */
    private static final int KERNEL_RANK = 6;

    private ClPointwiseBackward() {
    }

    static Tensor reluBackward(ClDevice d, Tensor gradOut, Tensor output) {
        Shape s = GradShapes.sameShape("reluBackward", gradOut, output);
        Tensor result = d.allocate(s);
        d.kernel(FILE, "relu_backward").launch(new long[] {s.numel()}, null, gradOut, output, result, s.numel());
        return result;
    }

    static Tensor clampBackward(ClDevice d, Tensor gradOut, Tensor input, float min, float max) {
        Shape s = GradShapes.sameShape("clampBackward", gradOut, input);
        if (Float.isNaN(min) || Float.isNaN(max) || min > max) {
            throw OpShapes.error("clampBackward", "needs min <= max, got [" + min + ", " + max + "] for " + s);
        }
        Tensor result = d.allocate(s);
        d.kernel(FILE, "clamp_backward").launch(new long[] {s.numel()}, null, gradOut, input, result, min, max,
                s.numel());
        return result;
    }

    static Tensor softmaxBackward(ClDevice d, Tensor gradOut, Tensor output, int axis) {
        Shape s = GradShapes.sameShape("softmaxBackward", gradOut, output);
        int a;
        try {
            a = s.normalizeAxis(axis);
        } catch (IllegalArgumentException e) {
            throw OpShapes.error("softmaxBackward", e.getMessage());
        }
        int inner = s.size(a + 1, s.rank());
        int rows = s.size(0, a) * inner;
        Tensor result = d.allocate(s);
        d.kernel(FILE, "softmax_backward").launch(new long[] {rows}, null, gradOut, output, result, rows, s.dim(a),
                inner);
        return result;
    }

    static Tensor maxReduceBackward(ClDevice d, Tensor gradOut, Tensor input, Tensor output, int[] axes) {
        Shape xs = GradShapes.maxReduceBackward(gradOut, input, output, axes);
        Blocks blocks = Blocks.of(xs, OpShapes.reduceAxes(input, axes));
        try (Tensor ties = d.allocate(output.shape())) { // int counts, in a buffer of the keep-dims size
            Tensor result = d.allocate(xs);
            int[] run = blocks.asRun();
            if (run != null) {
                int a = run[0];
                int b = run[1];
                int c = run[2];
                d.kernel(FILE, "max_reduce_ties_run").launch(new long[] {c, a}, null, input, output, ties, a, b, c);
                d.kernel(FILE, "max_reduce_backward_run").launch(new long[] {c, b, a}, null, gradOut, input, output,
                        ties, result, a, b, c);
                return result;
            }
            int[] dims = blocks.padded(KERNEL_RANK);
            int mask = blocks.reducedMask(KERNEL_RANK);
            int groups = output.shape().numel();
            d.kernel(FILE, "max_reduce_ties").launch(new long[] {groups}, null, input, output, ties,
                    dims[0], dims[1], dims[2], dims[3], dims[4], dims[5], mask, xs.numel() / groups, groups);
            d.kernel(FILE, "max_reduce_backward").launch(new long[] {xs.numel()}, null, gradOut, input, output, ties,
                    result, dims[0], dims[1], dims[2], dims[3], dims[4], dims[5], mask, xs.numel());
            return result;
        }
    }

    /**
     * The input's axes with size-1 axes dropped and adjacent axes of the same kind (reduced or kept) merged:
     * the same element order and grouping in at most {@link Shape#MAX_RANK} blocks.
     */
    private record Blocks(int[] sizes, boolean[] reduced) {
        static Blocks of(Shape xs, int[] sortedAxes) {
            int[] sizes = new int[xs.rank()];
            boolean[] reduced = new boolean[xs.rank()];
            int count = 0;
            for (int a = 0; a < xs.rank(); a++) {
                boolean r = Arrays.binarySearch(sortedAxes, a) >= 0;
                if (xs.dim(a) == 1) {
                    continue;
                }
                if (count > 0 && reduced[count - 1] == r) {
                    sizes[count - 1] *= xs.dim(a);
                } else {
                    sizes[count] = xs.dim(a);
                    reduced[count++] = r;
                }
            }
            return new Blocks(Arrays.copyOf(sizes, count), Arrays.copyOf(reduced, count));
        }

        /** (A, B, C) when at most one block is reduced: kept A, reduced B, kept C (absent blocks are 1). */
        int[] asRun() {
            int at = -1;
            for (int i = 0; i < sizes.length; i++) {
                if (reduced[i]) {
                    if (at >= 0) {
                        return null;
                    }
                    at = i;
                }
            }
            if (at < 0) {
                return new int[] {1, 1, Arrays.stream(sizes).reduce(1, (x, y) -> x * y)};
            }
            int before = Arrays.stream(sizes, 0, at).reduce(1, (x, y) -> x * y);
            int after = Arrays.stream(sizes, at + 1, sizes.length).reduce(1, (x, y) -> x * y);
            return new int[] {before, sizes[at], after};
        }

        /** The block sizes after leading ones, to {@code rank} entries. */
        int[] padded(int rank) {
            int[] dims = new int[rank];
            Arrays.fill(dims, 1);
            System.arraycopy(sizes, 0, dims, rank - sizes.length, sizes.length);
            return dims;
        }

        /** Bit a set when padded axis a is reduced. */
        int reducedMask(int rank) {
            int mask = 0;
            for (int i = 0; i < sizes.length; i++) {
                mask |= reduced[i] ? 1 << (rank - sizes.length + i) : 0;
            }
            return mask;
        }
    }
}
