package io.ucag.runtime.io;

import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import java.util.Arrays;

/**
 * The contents of one {@code .npy} file: its shape (rank 0..6, C order) and its values as float32.
 * The arrays are held as given, not copied.
 *
 * @param shape the NumPy shape; empty for a scalar
 * @param data  {@code product(shape)} values in row-major order
 */
public record NpyArray(int[] shape, float[] data) {
    public NpyArray {
        if (shape.length > Npy.MAX_RANK) {
            throw new IllegalArgumentException("npy: rank " + shape.length + " > " + Npy.MAX_RANK);
        }
        long count = Npy.elementCount(shape);
        if (count != data.length) {
            throw new IllegalArgumentException("npy: shape " + Arrays.toString(shape) + " holds " + count
                    + " values, got " + data.length);
        }
    }

    /** The shape as a runtime {@link Shape}; a NumPy scalar (rank 0) becomes shape (1). */
    public Shape toShape() {
        return shape.length == 0 ? Shape.of(1) : Shape.of(shape);
    }

    /** Copies the values onto {@code device}. */
    public Tensor toTensor(Device device) {
        return device.fromArray(toShape(), data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NpyArray a && Arrays.equals(shape, a.shape) && Arrays.equals(data, a.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "NpyArray" + Arrays.toString(shape);
    }
}
