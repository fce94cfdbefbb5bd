package io.ucag.weights.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A dense {@code TensorProto}: name, dimensions (empty for a scalar), element type and the values as
 * little-endian bytes in {@code raw_data} layout, whichever field of the file they came from.
 * STRING tensors are not represented (the reader rejects them).
 *
 * @param name  the tensor's name (may be empty)
 * @param dims  the dimensions, row-major; empty for a scalar (one element)
 * @param type  the element type
 * @param data  {@code product(dims) * type.bytes()} bytes, little-endian; held as given, not copied
 */
public record OnnxTensor(String name, long[] dims, OnnxDataType type, byte[] data) {
    public OnnxTensor {
        if (type.bytes() == 0) {
            throw new IllegalArgumentException("onnx tensor '" + name + "': element type " + type
                    + " is not supported");
        }
        long count = elementCount(dims);
        if (count * type.bytes() != data.length) {
            throw new IllegalArgumentException("onnx tensor '" + name + "': dims " + Arrays.toString(dims) + " of "
                    + type + " need " + count * type.bytes() + " bytes, got " + data.length);
        }
    }

    /** The number of elements: the product of the dimensions (1 for a scalar). */
    public long numel() {
        return elementCount(dims);
    }

    /** The dimensions as ints, or an exception if one exceeds {@code int}. */
    public int[] intDims() {
        int[] out = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] > Integer.MAX_VALUE) {
                throw new IllegalStateException("onnx tensor '" + name + "': dimension " + dims[i] + " exceeds int");
            }
            out[i] = (int) dims[i];
        }
        return out;
    }

    /**
     * The values as float32: FLOAT exactly, FLOAT16 and BFLOAT16 exactly widened, DOUBLE rounded to nearest.
     * Other types throw {@link IllegalStateException} (integer data is read with {@link #longs()}).
     */
    public float[] floats() {
        ByteBuffer in = buffer();
        float[] out = new float[checkedCount()];
        switch (type) {
            case FLOAT -> in.asFloatBuffer().get(out);
            case DOUBLE -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) in.getDouble();
                }
            }
            case FLOAT16 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = halfToFloat(in.getShort());
                }
            }
            case BFLOAT16 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = Float.intBitsToFloat((in.getShort() & 0xffff) << 16);
                }
            }
            default -> throw new IllegalStateException("onnx tensor '" + name + "' holds " + type + ", not floats");
        }
        return out;
    }

    /**
     * The values of an integer or BOOL tensor widened to long (unsigned types zero-extended; UINT64 values above
     * {@code Long.MAX_VALUE} wrap to negative). Other types throw {@link IllegalStateException}.
     */
    public long[] longs() {
        ByteBuffer in = buffer();
        long[] out = new long[checkedCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (type) {
                case INT8 -> in.get();
                case UINT8, BOOL -> in.get() & 0xffL;
                case INT16 -> in.getShort();
                case UINT16 -> in.getShort() & 0xffffL;
                case INT32 -> in.getInt();
                case UINT32 -> in.getInt() & 0xffffffffL;
                case INT64, UINT64 -> in.getLong();
                default -> throw new IllegalStateException("onnx tensor '" + name + "' holds " + type
                        + ", not integers");
            };
        }
        return out;
    }

    /** IEEE 754 binary16 to float, exactly (subnormals, infinities and NaN included). */
    static float halfToFloat(short bits) {
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | mantissa << 13);
        }
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f; // subnormal (or zero): mantissa * 2^-24, exact in float
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | (exponent + 112) << 23 | mantissa << 13);
    }

    static long elementCount(long[] dims) {
        long count = 1;
        for (long d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("onnx tensor: negative dimension in " + Arrays.toString(dims));
            }
            count = Math.multiplyExact(count, d);
        }
        return count;
    }

    private int checkedCount() {
        long n = numel();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("onnx tensor '" + name + "' has " + n + " elements, too many for an array");
        }
        return (int) n;
    }

    private ByteBuffer buffer() {
        return ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OnnxTensor t && name.equals(t.name) && Arrays.equals(dims, t.dims) && type == t.type
                && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return (name.hashCode() * 31 + Arrays.hashCode(dims)) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "OnnxTensor[" + name + " " + type + " " + Arrays.toString(dims) + "]";
    }
}
