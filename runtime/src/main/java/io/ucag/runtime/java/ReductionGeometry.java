package io.ucag.runtime.java;

import io.ucag.runtime.Shape;
import java.util.Arrays;

/**
 * Where the elements of one reduction live in a row-major input (used by both backends). Adjacent axes of the
 * same kind (kept or reduced) are merged and size-1 axes dropped, so a full sum is one contiguous run and
 * reducing axes (2,3) of NCHW is one run of H*W per output. Output element {@code k} (row-major over the kept
 * axes, which is also the layout of the output tensor) starts at {@link #keptOffset}; its inputs are
 * {@code outerReducedOffset(r) + i * innerReducedStride()} for {@code r < outerReducedCount()},
 * {@code i < innerReducedSize()}.
 */
public final class ReductionGeometry {
    private final int[] keptDims;       // merged kept axes, outermost first
    private final int[] keptStrides;    // their input strides
    private final int[] reducedDims;    // merged reduced axes, outermost first
    private final int[] reducedStrides;
    private final int[] outerDims;      // merged reduced axes except the innermost one
    private final int[] outerStrides;
    private final int innerSize;        // the innermost reduced axis (1 when nothing is reduced)
    private final int innerStride;

    private ReductionGeometry(int[] keptDims, int[] keptStrides, int[] reducedDims, int[] reducedStrides) {
        this.keptDims = keptDims;
        this.keptStrides = keptStrides;
        this.reducedDims = reducedDims;
        this.reducedStrides = reducedStrides;
        int last = reducedDims.length - 1;
        this.innerSize = last < 0 ? 1 : reducedDims[last];
        this.innerStride = last < 0 ? 0 : reducedStrides[last];
        this.outerDims = Arrays.copyOf(reducedDims, Math.max(0, last));
        this.outerStrides = Arrays.copyOf(reducedStrides, Math.max(0, last));
    }

    /** {@code sortedAxes}: normalised, sorted, distinct (as {@code OpShapes.reduceAxes} returns them). */
    public static ReductionGeometry of(Shape shape, int[] sortedAxes) {
        int rank = shape.rank();
        int[] kd = new int[rank];
        int[] ks = new int[rank];
        int[] rd = new int[rank];
        int[] rs = new int[rank];
        int nk = 0;
        int nr = 0;
        int stride = 1;
        int prevKind = -1; // 0 kept, 1 reduced: kind of the last group added (walking from the innermost axis)
        for (int axis = rank - 1; axis >= 0; axis--) {
            int dim = shape.dim(axis);
            if (dim > 1) {
                int kind = Arrays.binarySearch(sortedAxes, axis) >= 0 ? 1 : 0;
                if (kind == 1 && prevKind == 1) {
                    rd[nr - 1] *= dim; // contiguous with the group inside it: merge
                } else if (kind == 0 && prevKind == 0) {
                    kd[nk - 1] *= dim;
                } else if (kind == 1) {
                    rd[nr] = dim;
                    rs[nr++] = stride;
                } else {
                    kd[nk] = dim;
                    ks[nk++] = stride;
                }
                prevKind = kind;
            }
            stride *= dim;
        }
        return new ReductionGeometry(reversed(kd, nk), reversed(ks, nk), reversed(rd, nr), reversed(rs, nr));
    }

    private static int[] reversed(int[] a, int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = a[n - 1 - i];
        }
        return r;
    }

    /**
     * Merged kept axes (outermost first); kept and reduced groups alternate, so a rank-r input has at most
     * {@code (r + 1) / 2} of each.
     */
    public int[] keptDims() {
        return keptDims.clone();
    }

    /** Input strides (in elements) of {@link #keptDims}. */
    public int[] keptStrides() {
        return keptStrides.clone();
    }

    /** Merged reduced axes (outermost first); empty when only size-1 axes are reduced. */
    public int[] reducedDims() {
        return reducedDims.clone();
    }

    /** Input strides (in elements) of {@link #reducedDims}. */
    public int[] reducedStrides() {
        return reducedStrides.clone();
    }

    /** Output elements (the product of the kept dimensions). */
    public int keptCount() {
        return product(keptDims);
    }

    /** Input elements per output element. */
    public int reducedCount() {
        return product(outerDims) * innerSize;
    }

    int outerReducedCount() {
        return product(outerDims);
    }

    int innerReducedSize() {
        return innerSize;
    }

    int innerReducedStride() {
        return innerStride;
    }

    /** Input offset of the first element reduced into output element {@code k}. */
    int keptOffset(int k) {
        return offset(k, keptDims, keptStrides);
    }

    /** Input offset (relative to {@link #keptOffset}) of the {@code r}-th run of the innermost reduced axis. */
    int outerReducedOffset(int r) {
        return offset(r, outerDims, outerStrides);
    }

    private static int offset(int index, int[] dims, int[] strides) {
        int off = 0;
        for (int i = dims.length - 1; i >= 0; i--) {
            off += (index % dims[i]) * strides[i];
            index /= dims[i];
        }
        return off;
    }

    private static int product(int[] dims) {
        int p = 1;
        for (int d : dims) {
            p *= d;
        }
        return p;
    }
}
