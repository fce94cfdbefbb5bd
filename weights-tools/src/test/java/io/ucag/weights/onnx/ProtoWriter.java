package io.ucag.weights.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds protobuf wire-format messages field by field, for reader tests (no protobuf library needed). */
final class ProtoWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    ProtoWriter varint(int field, long value) {
        key(field, 0);
        rawVarint(value);
        return this;
    }

    ProtoWriter fixed32(int field, int bits) {
        key(field, 5);
        rawFixed32(bits);
        return this;
    }

    ProtoWriter floatValue(int field, float value) {
        return fixed32(field, Float.floatToRawIntBits(value));
    }

    ProtoWriter fixed64(int field, long bits) {
        key(field, 1);
        rawFixed32((int) bits);
        rawFixed32((int) (bits >>> 32));
        return this;
    }

    ProtoWriter bytes(int field, byte[] payload) {
        key(field, 2);
        rawVarint(payload.length);
        out.writeBytes(payload);
        return this;
    }

    ProtoWriter string(int field, String s) {
        return bytes(field, s.getBytes(StandardCharsets.UTF_8));
    }

    ProtoWriter message(int field, ProtoWriter m) {
        return bytes(field, m.toBytes());
    }

    /** A packed run of varints in one length-delimited field. */
    ProtoWriter packedVarints(int field, long... values) {
        ProtoWriter p = new ProtoWriter();
        for (long v : values) {
            p.rawVarint(v);
        }
        return bytes(field, p.toBytes());
    }

    /** A packed run of floats in one length-delimited field. */
    ProtoWriter packedFloats(int field, float... values) {
        ProtoWriter p = new ProtoWriter();
        for (float v : values) {
            p.rawFixed32(Float.floatToRawIntBits(v));
        }
        return bytes(field, p.toBytes());
    }

    /** A packed run of doubles in one length-delimited field. */
    ProtoWriter packedDoubles(int field, double... values) {
        ProtoWriter p = new ProtoWriter();
        for (double v : values) {
            long bits = Double.doubleToRawLongBits(v);
            p.rawFixed32((int) bits);
            p.rawFixed32((int) (bits >>> 32));
        }
        return bytes(field, p.toBytes());
    }

    /** Appends bytes as they are (for malformed input). */
    ProtoWriter raw(int... bytes) {
        for (int b : bytes) {
            out.write(b);
        }
        return this;
    }

    byte[] toBytes() {
        return out.toByteArray();
    }

    private void key(int field, int wireType) {
        rawVarint((long) field << 3 | wireType);
    }

    private void rawVarint(long value) {
        long v = value;
        while ((v & ~0x7fL) != 0) {
            out.write((int) (v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
    }

    private void rawFixed32(int bits) {
        for (int i = 0; i < 4; i++) {
            out.write(bits >>> (8 * i));
        }
    }
}
