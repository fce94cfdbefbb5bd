package io.ucag.weights.torch;

import io.ucag.weights.NamedTensor;

import java.io.IOException;
import java.util.Arrays;

/**
 * A tensor as {@code torch._utils._rebuild_tensor_v2} describes it: a strided view of a storage. Materialised
 * into a dense row-major array once its name is known, so errors can name it.
 *
 * @param storage       the storage viewed
 * @param storageOffset first element, relative to the storage
 * @param size          dimensions
 * @param stride        elements to step per index of each dimension
 */
record TensorRef(StorageRef storage, long storageOffset, int[] size, long[] stride) {

    /**
     * Copies the view into a dense row-major tensor; {@code root} holds the root storage's values.
     *
     * @param where names the file, for error messages
     */
    NamedTensor materialise(String name, float[] root, String where) throws IOException {
        String prefix = where + ": tensor '" + name + "'";
        if (size.length != stride.length) {
            throw new IOException(prefix + ": size " + Arrays.toString(size) + " and stride "
                    + Arrays.toString(stride) + " differ in length");
        }
        long numel = NamedTensor.numel(size);
        if (numel < 0 || numel > Integer.MAX_VALUE - 8) {
            throw new IOException(prefix + ": bad size " + Arrays.toString(size));
        }
        float[] out = new float[(int) numel];
        if (numel == 0) {
            return new NamedTensor(name, size, out, storage.dtype());
        }
        long last = storageOffset;
        for (int i = 0; i < size.length; i++) {
            if (stride[i] < 0) {
                throw new IOException(prefix + ": negative stride " + Arrays.toString(stride));
            }
            last += (size[i] - 1) * stride[i];
        }
        if (storageOffset < 0 || last >= storage.numel() || storage.offset() + last >= root.length) {
            throw new IOException(prefix + ": size " + Arrays.toString(size) + ", stride " + Arrays.toString(stride)
                    + " and offset " + storageOffset + " reach element " + last + " of storage '" + storage.key()
                    + "', which has " + storage.numel() + " elements");
        }
        long base = storage.offset() + storageOffset;
        if (isContiguous()) {
            System.arraycopy(root, (int) base, out, 0, out.length);
        } else {
            gather(root, base, out);
        }
        return new NamedTensor(name, size, out, storage.dtype());
    }

    /** Row-major strides, ignoring dimensions of size 1 (whose stride never matters). */
    private boolean isContiguous() {
        long expected = 1;
        for (int i = size.length - 1; i >= 0; i--) {
            if (size[i] != 1 && stride[i] != expected) {
                return false;
            }
            expected *= size[i];
        }
        return true;
    }

    /** Walks the output in row-major order with an odometer over the dimensions. */
    private void gather(float[] root, long base, float[] out) {
        int rank = size.length;
        int[] index = new int[rank];
        long src = base;
        for (int o = 0; o < out.length; o++) {
            out[o] = root[(int) src];
            for (int axis = rank - 1; axis >= 0; axis--) {
                index[axis]++;
                src += stride[axis];
                if (index[axis] < size[axis]) {
                    break;
                }
                src -= (long) size[axis] * stride[axis];
                index[axis] = 0;
            }
        }
    }
}
