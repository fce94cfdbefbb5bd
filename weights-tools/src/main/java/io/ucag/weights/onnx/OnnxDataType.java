package io.ucag.weights.onnx;

/**
 * {@code TensorProto.DataType} of onnx.proto: the element type of a tensor, its code, and its size in bytes in
 * {@code raw_data} (0 for STRING, whose elements are variable-length, and for UNDEFINED).
 */
public enum OnnxDataType {
    UNDEFINED(0, 0),
    FLOAT(1, 4),
    UINT8(2, 1),
    INT8(3, 1),
    UINT16(4, 2),
    INT16(5, 2),
    INT32(6, 4),
    INT64(7, 8),
    STRING(8, 0),
    BOOL(9, 1),
    FLOAT16(10, 2),
    DOUBLE(11, 8),
    UINT32(12, 4),
    UINT64(13, 8),
    COMPLEX64(14, 8),
    COMPLEX128(15, 16),
    BFLOAT16(16, 2);

    private final int code;
    private final int bytes;

    OnnxDataType(int code, int bytes) {
        this.code = code;
        this.bytes = bytes;
    }

    public int code() {
        return code;
    }

    /** Bytes per element in {@code raw_data}. */
    public int bytes() {
        return bytes;
    }

    /** True for the integer types and BOOL (values readable with {@link OnnxTensor#longs()}). */
    public boolean isInteger() {
        return switch (this) {
            case UINT8, INT8, UINT16, INT16, INT32, INT64, BOOL, UINT32, UINT64 -> true;
            default -> false;
        };
    }

    /** True for the real floating-point types (values readable with {@link OnnxTensor#floats()}). */
    public boolean isFloatingPoint() {
        return this == FLOAT || this == FLOAT16 || this == BFLOAT16 || this == DOUBLE;
    }

    /** The type with this code, or null if onnx.proto defines none. */
    public static OnnxDataType ofCode(int code) {
        for (OnnxDataType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
