package io.ucag.weights;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DTypeTest {
    @Test
    void halfPrecisionBitPatterns() {
        assertEquals(1.0f, DType.halfToFloat((short) 0x3c00));
        assertEquals(-2.0f, DType.halfToFloat((short) 0xc000));
        assertEquals(65504f, DType.halfToFloat((short) 0x7bff));
        assertEquals(0x1p-14f, DType.halfToFloat((short) 0x0400)); // smallest normal
        assertEquals(0x1p-24f, DType.halfToFloat((short) 0x0001)); // smallest subnormal
        assertEquals(0x3ffp-24f, DType.halfToFloat((short) 0x03ff)); // largest subnormal
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(DType.halfToFloat((short) 0x8000)));
        assertEquals(Float.POSITIVE_INFINITY, DType.halfToFloat((short) 0x7c00));
        assertEquals(Float.NEGATIVE_INFINITY, DType.halfToFloat((short) 0xfc00));
        assertTrue(Float.isNaN(DType.halfToFloat((short) 0x7e00)));
        assertEquals(0.333251953125f, DType.halfToFloat((short) 0x3555));
    }

    @Test
    void everyHalfValueRoundTripsThroughItsFloatValue() {
        // Exhaustive: float -> half by the textbook rule must give back the same bits for every finite half.
        for (int bits = 0; bits < 0x10000; bits++) {
            float f = DType.halfToFloat((short) bits);
            if (Float.isNaN(f)) {
                continue;
            }
            int exponent = (bits >>> 10) & 0x1f;
            double expected = exponent == 0 ? (bits & 0x3ff) * Math.pow(2, -24)
                    : exponent == 31 ? Double.POSITIVE_INFINITY
                    : (1 + (bits & 0x3ff) / 1024.0) * Math.pow(2, exponent - 15);
            assertEquals((bits & 0x8000) != 0 ? -expected : expected, f, 0.0, "bits 0x" + Integer.toHexString(bits));
        }
    }

    @Test
    void decodesEachTypeLittleEndian() {
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 0x3f80).putShort((short) 0xc040); // bf16 1.0, -3.0
        b.putDouble(0.1).putLong(-7).putInt(123456).putShort((short) -5).put((byte) -3).put((byte) 250);
        b.flip();
        float[] out = new float[8];
        DType.BF16.decode(b, out, 0, 2);
        DType.F64.decode(b, out, 2, 1);
        DType.I64.decode(b, out, 3, 1);
        DType.I32.decode(b, out, 4, 1);
        DType.I16.decode(b, out, 5, 1);
        DType.I8.decode(b, out, 6, 1);
        DType.U8.decode(b, out, 7, 1);
        assertArrayEquals(new float[] {1f, -3f, 0.1f, -7f, 123456f, -5f, -3f, 250f}, out);
        assertEquals(0, b.remaining());
    }

    @Test
    void streamReadSpansChunksAndReportsTruncation() throws IOException {
        int n = 300_000; // more than one 1 MiB chunk of float32
        ByteBuffer b = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putFloat(i * 0.5f);
        }
        float[] out = new float[n];
        DType.F32.read(new ByteArrayInputStream(b.array()), out, "test");
        assertEquals(0f, out[0]);
        assertEquals((n - 1) * 0.5f, out[n - 1]);
        IOException e = assertThrows(IOException.class,
                () -> DType.F32.read(new ByteArrayInputStream(b.array(), 0, 10), new float[3], "shard x"));
        assertEquals("shard x: truncated: ended after 10 of 12 bytes", e.getMessage());
    }
}
