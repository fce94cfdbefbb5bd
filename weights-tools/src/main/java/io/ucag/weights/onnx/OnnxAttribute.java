package io.ucag.weights.onnx;

import java.util.Arrays;
import java.util.List;

/**
 * An {@code AttributeProto} of a node: its name, type and value. The value's Java type follows the attribute
 * type: FLOAT {@code Float}, INT {@code Long}, STRING {@code String} (UTF-8), TENSOR {@link OnnxTensor}, GRAPH
 * {@link OnnxGraph}, FLOATS {@code float[]}, INTS {@code long[]}, STRINGS {@code List<String>}, TENSORS
 * {@code List<OnnxTensor>}, GRAPHS {@code List<OnnxGraph>}. Sparse tensors and type protos are kept as their
 * type with a null value (no runtime op needs them). The typed getters throw {@link IllegalStateException}
 * naming the attribute when the type differs.
 */
public record OnnxAttribute(String name, Type type, Object value) {

    /** {@code AttributeProto.AttributeType} of onnx.proto. */
    public enum Type {
        UNDEFINED(0), FLOAT(1), INT(2), STRING(3), TENSOR(4), GRAPH(5), FLOATS(6), INTS(7), STRINGS(8),
        TENSORS(9), GRAPHS(10), SPARSE_TENSOR(11), SPARSE_TENSORS(12), TYPE_PROTO(13), TYPE_PROTOS(14);

        private final int code;

        Type(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        static Type ofCode(int code) {
            for (Type t : values()) {
                if (t.code == code) {
                    return t;
                }
            }
            return null;
        }
    }

    public float asFloat() {
        return (Float) expect(Type.FLOAT);
    }

    public long asInt() {
        return (Long) expect(Type.INT);
    }

    public String asString() {
        return (String) expect(Type.STRING);
    }

    public OnnxTensor asTensor() {
        return (OnnxTensor) expect(Type.TENSOR);
    }

    public OnnxGraph asGraph() {
        return (OnnxGraph) expect(Type.GRAPH);
    }

    public float[] asFloats() {
        return ((float[]) expect(Type.FLOATS)).clone();
    }

    public long[] asInts() {
        return ((long[]) expect(Type.INTS)).clone();
    }

    @SuppressWarnings("unchecked")
    public List<String> asStrings() {
        return (List<String>) expect(Type.STRINGS);
    }

    @SuppressWarnings("unchecked")
    public List<OnnxTensor> asTensors() {
        return (List<OnnxTensor>) expect(Type.TENSORS);
    }

    private Object expect(Type wanted) {
        if (type != wanted) {
            throw new IllegalStateException("onnx attribute '" + name + "' is " + type + ", not " + wanted);
        }
        return value;
    }

    /** The value as ONNX prints it, e.g. {@code pads=[1, 1, 1, 1]} or {@code mode=reflect}. */
    @Override
    public String toString() {
        String v;
        if (value instanceof float[] f) {
            v = Arrays.toString(f);
        } else if (value instanceof long[] l) {
            v = Arrays.toString(l);
        } else {
            v = String.valueOf(value);
        }
        return name + "=" + v;
    }
}
