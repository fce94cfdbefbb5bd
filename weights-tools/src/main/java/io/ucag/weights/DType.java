package io.ucag.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An element type a weight file may store; every one is converted to float32 on reading.
 *
 * <p>The names are safetensors' dtype strings. Integer types exist because PyTorch state dicts hold
 * {@code int64} buffers ({@code num_batches_tracked}); they are converted to the nearest float32.
 */
public enum DType {
    F32(4), F16(2), BF16(2), F64(8), I64(8), I32(4), I16(2), I8(1), U8(1), BOOL(1);

    private static final int STREAM_CHUNK_BYTES = 1 << 20;

    private final int byteSize;

    DType(int byteSize) {
        this.byteSize = byteSize;
    }

    public int byteSize() {
        return byteSize;
    }

    /** The dtype named by a safetensors header string ("F32", ...), or null when there is none. */
    public static DType fromSafetensorsName(String name) {
        for (DType t : values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }

    /**
     * Reads {@code count} little-endian elements from {@code src} (starting at its position, which advances)
     * into {@code dst[dstOffset..]} as float32.
     */
    public void decode(ByteBuffer src, float[] dst, int dstOffset, int count) {
        ByteBuffer in = src.order(ByteOrder.LITTLE_ENDIAN);
        switch (this) {
            case F32 -> in.asFloatBuffer().get(dst, dstOffset, count);
            case F16 -> {
                for (int i = 0; i < count; i++) {
                    dst[dstOffset + i] = halfToFloat(in.getShort(in.position() + 2 * i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < count; i++) {
                    dst[dstOffset + i] = Float.intBitsToFloat((in.getShort(in.position() + 2 * i) & 0xffff) << 16);
                }
            }
            case F64 -> {
                for (int i = 0; i < count; i++) {
                    dst[dstOffset + i] = (float) in.getDouble(in.position() + 8 * i);
                }
            }
            case I64 -> {
                for (int i = 0; i < count; i++) {
                    dst[dstOffset + i] = (float) in.getLong(in.position() + 8 * i);
                }
            }
            case I32 -> {
                for (int i = 0; i < count; i++) {
                    dst[dstOffset + i] = (float) in.getInt(in.position() + 4 * i);
                }
            }
            case I16 -> {
                for (int i = 0; i < count; i++) {
                    dst[dstOffset + i] = in.getShort(in.position() + 2 * i);
                }
            }
            case I8 -> {
                for (int i = 0; i < count; i++) {
                    dst[dstOffset + i] = in.get(in.position() + i);
                }
            }
            case U8, BOOL -> {
                for (int i = 0; i < count; i++) {
                    dst[dstOffset + i] = in.get(in.position() + i) & 0xff;
                }
            }
            default -> throw new AssertionError(this);
        }
        in.position(in.position() + count * byteSize);
    }

    /**
     * Reads {@code dst.length} little-endian elements from a stream into float32, in chunks so that the raw
     * bytes of a large tensor are never held all at once.
     *
     * @param where names the data in the error thrown when the stream ends early
     */
    public void read(InputStream in, float[] dst, String where) throws IOException {
        byte[] chunk = new byte[Math.max(byteSize, STREAM_CHUNK_BYTES / byteSize * byteSize)];
        int done = 0;
        while (done < dst.length) {
            int count = Math.min(dst.length - done, chunk.length / byteSize);
            int read = in.readNBytes(chunk, 0, count * byteSize);
            if (read != count * byteSize) {
                throw new IOException(where + ": truncated: ended after " + ((long) done * byteSize + read)
                        + " of " + (long) dst.length * byteSize + " bytes");
            }
            decode(ByteBuffer.wrap(chunk, 0, read), dst, done, count);
            done += count;
        }
    }

    /** IEEE 754 binary16 bits to float32, exactly (subnormals, infinities and NaN included). */
    public static float halfToFloat(short bits) {
        int h = bits & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            // Zero or subnormal: mantissa * 2^-24, exact in float32.
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }
}
