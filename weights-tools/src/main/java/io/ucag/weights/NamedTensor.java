package io.ucag.weights;

import java.util.Arrays;
import java.util.Objects;

/**
 * One weight tensor: a name, a row-major shape and its float32 values.
 *
 * <p>A rank-0 shape ({@code []}) is a scalar with one value; a dimension may be 0 (no values). The arrays are
 * kept as given (no copy) so that multi-hundred-megabyte weight sets are not duplicated; treat them as
 * read-only. {@code storedAs} records the element type the file held before conversion to float32. As for any
 * record with array components, {@code equals} compares the arrays by identity, not by content.
 *
 * @param name     the tensor's name in its file, e.g. {@code layer1.0.conv1.weight} or {@code conv1/kernel}
 * @param shape    dimensions, outermost first
 * @param data     product(shape) values in row-major order
 * @param storedAs element type in the source file
 */
public record NamedTensor(String name, int[] shape, float[] data, DType storedAs) {
    public NamedTensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(storedAs, "storedAs");
        long numel = numel(shape);
        if (numel < 0) {
            throw new IllegalArgumentException("tensor '" + name + "': negative dimension in shape "
                    + formatShape(shape));
        }
        if (numel != data.length) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + formatShape(shape) + " has "
                    + numel + " elements but " + data.length + " values were given");
        }
    }

    /** A tensor that was float32 in its file. */
    public NamedTensor(String name, int[] shape, float[] data) {
        this(name, shape, data, DType.F32);
    }

    public int rank() {
        return shape.length;
    }

    public int numel() {
        return data.length;
    }

    /** True when the shape equals {@code expected} dimension by dimension. */
    public boolean hasShape(int... expected) {
        return Arrays.equals(shape, expected);
    }

    /**
     * Throws when a value is NaN or infinite, naming the tensor, the first bad flat index and its
     * multi-dimensional index.
     */
    public void requireFinite() {
        for (int i = 0; i < data.length; i++) {
            if (!Float.isFinite(data[i])) {
                throw new IllegalStateException("tensor '" + name + "' " + formatShape(shape) + ": value " + data[i]
                        + " at flat index " + i + " " + formatIndex(i) + " is not finite");
            }
        }
    }

    /** The same values under another name. */
    public NamedTensor withName(String newName) {
        return new NamedTensor(newName, shape, data, storedAs);
    }

    /** Shape as PyTorch prints it, e.g. {@code (64,3,7,7)}; a scalar is {@code ()}. */
    public static String formatShape(int[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ",").append(shape[i]);
        }
        return sb.append(')').toString();
    }

    /** Product of the dimensions, or -1 if one is negative; saturates at Long.MAX_VALUE. */
    public static long numel(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                return -1;
            }
            n = d == 0 || n <= Long.MAX_VALUE / d ? n * d : Long.MAX_VALUE;
        }
        return n;
    }

    private String formatIndex(int flat) {
        int[] index = new int[shape.length];
        int rest = flat;
        for (int axis = shape.length - 1; axis >= 0; axis--) {
            index[axis] = rest % shape[axis];
            rest /= shape[axis];
        }
        return "[" + String.join(",", Arrays.stream(index).mapToObj(Integer::toString).toList()) + "]";
    }

    @Override
    public String toString() {
        return "NamedTensor[" + name + " " + formatShape(shape) + " " + storedAs + "]";
    }
}
