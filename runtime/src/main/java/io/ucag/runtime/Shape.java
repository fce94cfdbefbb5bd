package io.ucag.runtime;

import java.util.Arrays;

/**
 * The dimensions of a dense, row-major (C-contiguous) float32 tensor; images are NCHW.
 *
 * <p>Every dimension is at least 1 and the element count fits an {@code int}-indexed Java array
 * (2^31 - 1), which is also far above PoCL's per-allocation cap.
 */
public final class Shape {
    /** The largest rank any op accepts; kernels index at most this many axes. */
    public static final int MAX_RANK = 6;

    private final int[] dims;
    private final long numel;

    private Shape(int[] dims) {
        if (dims.length == 0 || dims.length > MAX_RANK) {
            throw new IllegalArgumentException("a shape has 1.." + MAX_RANK + " dimensions, got " + dims.length);
        }
        long count = 1;
        for (int d : dims) {
            if (d < 1) {
                throw new IllegalArgumentException("shape " + Arrays.toString(dims) + " has a dimension < 1");
            }
            count *= d;
        }
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("shape " + Arrays.toString(dims) + " has " + count
                    + " elements; split the work into smaller tensors (max " + (Integer.MAX_VALUE - 8) + ")");
        }
        this.dims = dims;
        this.numel = count;
    }

    public static Shape of(int... dims) {
        return new Shape(dims.clone());
    }

    public int rank() {
        return dims.length;
    }

    /** Dimension {@code axis}; negative axes count from the end as in PyTorch. */
    public int dim(int axis) {
        return dims[normalizeAxis(axis)];
    }

    public int[] dims() {
        return dims.clone();
    }

    public int numel() {
        return (int) numel;
    }

    public long bytes() {
        return numel * Float.BYTES;
    }

    /** Maps a PyTorch-style axis (negative counts from the end) to 0..rank-1, or throws. */
    public int normalizeAxis(int axis) {
        int a = axis < 0 ? axis + dims.length : axis;
        if (a < 0 || a >= dims.length) {
            throw new IllegalArgumentException("axis " + axis + " is out of range for shape " + this);
        }
        return a;
    }

    /** Product of the dimensions in [from, to). */
    public int size(int from, int to) {
        long p = 1;
        for (int i = from; i < to; i++) {
            p *= dims[i];
        }
        return (int) p;
    }

    /** The same dimensions with dimension {@code axis} replaced. */
    public Shape with(int axis, int size) {
        int[] d = dims.clone();
        d[normalizeAxis(axis)] = size;
        return new Shape(d);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** PyTorch-like rendering, e.g. {@code (1,3,224,224)}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) {
            sb.append(i == 0 ? "" : ",").append(dims[i]);
        }
        return sb.append(')').toString();
    }
}
