package io.ucag.weights.onnx;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.DoubleConsumer;
import java.util.function.LongConsumer;

/**
 * A cursor over one protobuf message in wire format (https://protobuf.dev/programming-guides/encoding/): a
 * sequence of fields, each a varint key {@code (fieldNumber << 3) | wireType} followed by a varint (type 0),
 * 8 little-endian bytes (type 1), a varint length and that many bytes (type 2), or 4 little-endian bytes
 * (type 5). Groups (types 3 and 4) are obsolete and rejected. Nested messages are read as sub-cursors over the
 * same array, without copying.
 *
 * <p>Repeated scalars may come packed (one length-delimited field) or one field per value; parsers must accept
 * both ({@link #readRepeatedVarints}, {@link #readRepeatedFixed32}, {@link #readRepeatedFixed64}).
 * Malformed input throws an {@link IOException} naming {@code source} and the byte offset.
 */
final class ProtoReader {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private final byte[] buf;
    private final String source;
    private final int limit;
    private int pos;
    private int wireType = -1; // of the field whose key was read last

    ProtoReader(byte[] buf, String source) {
        this(buf, source, 0, buf.length);
    }

    private ProtoReader(byte[] buf, String source, int from, int limit) {
        this.buf = buf;
        this.source = source;
        this.pos = from;
        this.limit = limit;
    }

    boolean hasMore() {
        return pos < limit;
    }

    /** Reads the next key and returns its field number; the wire type is then {@link #wireType()}. */
    int nextField() throws IOException {
        int at = pos;
        long key = readVarint();
        wireType = (int) (key & 7);
        long field = key >>> 3;
        if (field < 1 || field > (1 << 29) - 1) {
            throw error(at, "invalid field number " + field);
        }
        if (wireType != VARINT && wireType != FIXED64 && wireType != LENGTH_DELIMITED && wireType != FIXED32) {
            throw error(at, "unsupported wire type " + wireType + " for field " + field);
        }
        return (int) field;
    }

    int wireType() {
        return wireType;
    }

    long readVarint() throws IOException {
        int at = pos;
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= limit) {
                throw error(at, "truncated varint");
            }
            byte b = buf[pos++];
            value |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw error(at, "varint longer than 10 bytes");
    }

    /** A varint field that must fit an int (protobuf int32 values are sign-extended to 64 bits). */
    int readInt32() throws IOException {
        int at = pos;
        long v = readVarint();
        if (v != (int) v) {
            throw error(at, "value " + v + " does not fit int32");
        }
        return (int) v;
    }

    int readFixed32() throws IOException {
        require(4);
        int v = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8 | (buf[pos + 2] & 0xff) << 16 | buf[pos + 3] << 24;
        pos += 4;
        return v;
    }

    long readFixed64() throws IOException {
        long lo = readFixed32() & 0xffffffffL;
        long hi = readFixed32() & 0xffffffffL;
        return lo | hi << 32;
    }

    float readFloat() throws IOException {
        return Float.intBitsToFloat(readFixed32());
    }

    /** The payload of a length-delimited field, copied. */
    byte[] readBytes() throws IOException {
        int length = readLength();
        byte[] out = new byte[length];
        System.arraycopy(buf, pos, out, 0, length);
        pos += length;
        return out;
    }

    String readString() throws IOException {
        int length = readLength();
        String s = new String(buf, pos, length, StandardCharsets.UTF_8);
        pos += length;
        return s;
    }

    /** A cursor over the embedded message of a length-delimited field (shares the array). */
    ProtoReader readMessage() throws IOException {
        int length = readLength();
        ProtoReader sub = new ProtoReader(buf, source, pos, pos + length);
        pos += length;
        return sub;
    }

    /** Skips the value of the field whose key was just read. */
    void skipField() throws IOException {
        switch (wireType) {
            case VARINT -> readVarint();
            case FIXED64 -> skip(8);
            case FIXED32 -> skip(4);
            case LENGTH_DELIMITED -> skip(readLength());
            default -> throw error(pos, "no field to skip");
        }
    }

    /** One varint value, or a packed run of them, of a repeated varint field. */
    void readRepeatedVarints(LongConsumer out) throws IOException {
        if (wireType == VARINT) {
            out.accept(readVarint());
            return;
        }
        expectWireType(LENGTH_DELIMITED, "packed varints");
        ProtoReader packed = readMessage();
        while (packed.hasMore()) {
            out.accept(packed.readVarint());
        }
    }

    /** One 4-byte value, or a packed run of them, of a repeated float / fixed32 field (as raw bits). */
    void readRepeatedFixed32(LongConsumer bitsOut) throws IOException {
        if (wireType == FIXED32) {
            bitsOut.accept(readFixed32() & 0xffffffffL);
            return;
        }
        expectWireType(LENGTH_DELIMITED, "packed fixed32");
        ProtoReader packed = readMessage();
        packed.requireMultiple(4);
        while (packed.hasMore()) {
            bitsOut.accept(packed.readFixed32() & 0xffffffffL);
        }
    }

    /** One 8-byte value, or a packed run of them, of a repeated double field. */
    void readRepeatedDoubles(DoubleConsumer out) throws IOException {
        readRepeatedFixed64(bits -> out.accept(Double.longBitsToDouble(bits)));
    }

    /** One 8-byte value, or a packed run of them, of a repeated fixed64 field (as raw bits). */
    void readRepeatedFixed64(LongConsumer bitsOut) throws IOException {
        if (wireType == FIXED64) {
            bitsOut.accept(readFixed64());
            return;
        }
        expectWireType(LENGTH_DELIMITED, "packed fixed64");
        ProtoReader packed = readMessage();
        packed.requireMultiple(8);
        while (packed.hasMore()) {
            bitsOut.accept(packed.readFixed64());
        }
    }

    /** Throws unless the field just read has {@code expected} wire type; {@code what} names the field. */
    void expectWireType(int expected, String what) throws IOException {
        if (wireType != expected) {
            throw error(pos, what + ": wire type " + wireType + ", expected " + expected);
        }
    }

    /** An error at the current position. */
    IOException error(String message) {
        return error(pos, message);
    }

    IOException error(int offset, String message) {
        return new IOException(source + ": malformed protobuf at byte " + offset + ": " + message);
    }

    private int readLength() throws IOException {
        int at = pos;
        long length = readVarint();
        if (length < 0 || length > limit - pos) {
            throw error(at, "length " + length + " runs past the end of the message (" + (limit - pos) + " left)");
        }
        return (int) length;
    }

    private void skip(int n) throws IOException {
        require(n);
        pos += n;
    }

    private void require(int n) throws IOException {
        if (limit - pos < n) {
            throw error(pos, "truncated: " + n + " bytes needed, " + (limit - pos) + " left");
        }
    }

    private void requireMultiple(int size) throws IOException {
        if ((limit - pos) % size != 0) {
            throw error(pos, "packed run of " + (limit - pos) + " bytes is not a multiple of " + size);
        }
    }
}
