package io.ucag.weights.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** TensorProto decoding: every storage field, element type conversions, and the rejected forms. */
class OnnxTensorReaderTest {
    // TensorProto field numbers (onnx.proto)
    private static final int DIMS = 1;
    private static final int DATA_TYPE = 2;
    private static final int FLOAT_DATA = 4;
    private static final int INT32_DATA = 5;
    private static final int STRING_DATA = 6;
    private static final int INT64_DATA = 7;
    private static final int NAME = 8;
    private static final int RAW_DATA = 9;
    private static final int DOUBLE_DATA = 10;
    private static final int UINT64_DATA = 11;
    private static final int DATA_LOCATION = 14;

    private static OnnxTensor parse(ProtoWriter w) throws IOException {
        return OnnxReader.parseTensor(w.toBytes(), "test.pb");
    }

    @Test
    void floatsFromRawDataKeepDimsNameAndExactBits() throws IOException {
        float[] values = {1.5f, -0f, Float.MIN_VALUE, Float.NaN, -3.25e7f, 7f};
        ByteBuffer raw = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            raw.putFloat(v);
        }
        OnnxTensor t = parse(new ProtoWriter().varint(DIMS, 2).varint(DIMS, 3).varint(DATA_TYPE, 1)
                .string(NAME, "x").bytes(RAW_DATA, raw.array()));
        assertEquals("x", t.name());
        assertArrayEquals(new long[] {2, 3}, t.dims());
        assertEquals(OnnxDataType.FLOAT, t.type());
        float[] got = t.floats();
        for (int i = 0; i < values.length; i++) {
            assertEquals(Float.floatToRawIntBits(values[i]), Float.floatToRawIntBits(got[i]), "element " + i);
        }
    }

    @Test
    void floatDataPackedAndUnpackedGiveTheSameValues() throws IOException {
        OnnxTensor packed = parse(new ProtoWriter().packedVarints(DIMS, 3).varint(DATA_TYPE, 1)
                .packedFloats(FLOAT_DATA, 0.5f, -2f, 3e-5f));
        OnnxTensor unpacked = parse(new ProtoWriter().varint(DIMS, 3).varint(DATA_TYPE, 1)
                .floatValue(FLOAT_DATA, 0.5f).floatValue(FLOAT_DATA, -2f).floatValue(FLOAT_DATA, 3e-5f));
        assertArrayEquals(new float[] {0.5f, -2f, 3e-5f}, packed.floats());
        assertEquals(packed, unpacked);
    }

    @Test
    void int64DataKeepsNegativeAndLargeValues() throws IOException {
        OnnxTensor t = parse(new ProtoWriter().varint(DIMS, 4).varint(DATA_TYPE, 7)
                .packedVarints(INT64_DATA, -1, Long.MIN_VALUE, 1L << 40, 0));
        assertArrayEquals(new long[] {-1, Long.MIN_VALUE, 1L << 40, 0}, t.longs());
    }

    @Test
    void int32DataCarriesSmallIntegerTypesSignedOrNot() throws IOException {
        // int32 values are sign-extended 10-byte varints on the wire; narrow types keep their low bits
        OnnxTensor int8 = parse(new ProtoWriter().varint(DIMS, 3).varint(DATA_TYPE, 3)
                .packedVarints(INT32_DATA, -3, 127, -128));
        assertArrayEquals(new long[] {-3, 127, -128}, int8.longs());
        OnnxTensor uint8 = parse(new ProtoWriter().varint(DIMS, 2).varint(DATA_TYPE, 2)
                .packedVarints(INT32_DATA, 200, 7));
        assertArrayEquals(new long[] {200, 7}, uint8.longs());
        OnnxTensor bool = parse(new ProtoWriter().varint(DIMS, 2).varint(DATA_TYPE, 9)
                .varint(INT32_DATA, 1).varint(INT32_DATA, 0));
        assertArrayEquals(new long[] {1, 0}, bool.longs());
        OnnxTensor int16 = parse(new ProtoWriter().varint(DIMS, 1).varint(DATA_TYPE, 5)
                .packedVarints(INT32_DATA, -30000));
        assertArrayEquals(new long[] {-30000}, int16.longs());
    }

    @Test
    void unsignedWideTypesComeFromUint64Data() throws IOException {
        OnnxTensor t = parse(new ProtoWriter().varint(DIMS, 2).varint(DATA_TYPE, 12)
                .packedVarints(UINT64_DATA, 0xffffffffL, 5));
        assertArrayEquals(new long[] {0xffffffffL, 5}, t.longs());
    }

    @Test
    void float16AndBfloat16WidenExactly() throws IOException {
        OnnxTensor half = parse(new ProtoWriter().varint(DIMS, 5).varint(DATA_TYPE, 10)
                .packedVarints(INT32_DATA, 0x3C00, 0xC000, 0x0001, 0x7C00, 0x7BFF));
        assertArrayEquals(new float[] {1f, -2f, 0x1p-24f, Float.POSITIVE_INFINITY, 65504f}, half.floats());
        OnnxTensor bf = parse(new ProtoWriter().varint(DIMS, 2).varint(DATA_TYPE, 16)
                .packedVarints(INT32_DATA, 0x3FC0, 0xC2F7));
        assertArrayEquals(new float[] {1.5f, -123.5f}, bf.floats());
    }

    @Test
    void halfToFloatIsExactForEveryBitPattern() {
        for (int bits = 0; bits < 1 << 16; bits++) {
            int exponent = (bits >>> 10) & 0x1f;
            int mantissa = bits & 0x3ff;
            float got = OnnxTensor.halfToFloat((short) bits);
            if (exponent == 0x1f) {
                assertEquals(mantissa != 0, Float.isNaN(got), "NaN-ness of 0x" + Integer.toHexString(bits));
                continue;
            }
            double magnitude = exponent == 0 ? Math.scalb((double) mantissa, -24)
                    : Math.scalb((double) (1024 + mantissa), exponent - 25);
            double expected = (bits & 0x8000) != 0 ? -magnitude : magnitude;
            assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(got),
                    "0x" + Integer.toHexString(bits));
        }
    }

    @Test
    void doubleDataRoundsToNearestFloat() throws IOException {
        OnnxTensor t = parse(new ProtoWriter().varint(DIMS, 2).varint(DATA_TYPE, 11)
                .packedDoubles(DOUBLE_DATA, 0.1, -1e300));
        assertArrayEquals(new float[] {0.1f, Float.NEGATIVE_INFINITY}, t.floats());
    }

    @Test
    void scalarHasNoDimsAndOneElement() throws IOException {
        OnnxTensor t = parse(new ProtoWriter().varint(DATA_TYPE, 1).floatValue(FLOAT_DATA, 3.14f));
        assertEquals(0, t.dims().length);
        assertEquals(1, t.numel());
        assertArrayEquals(new float[] {3.14f}, t.floats());
    }

    @Test
    void emptyTensorNeedsNoData() throws IOException {
        OnnxTensor t = parse(new ProtoWriter().varint(DIMS, 0).varint(DATA_TYPE, 7));
        assertEquals(0, t.numel());
        assertEquals(0, t.longs().length);
    }

    @Test
    void typeMismatchedAccessorsThrowNamingTheTensor() throws IOException {
        OnnxTensor ints = parse(new ProtoWriter().string(NAME, "axes").varint(DIMS, 1).varint(DATA_TYPE, 7)
                .varint(INT64_DATA, 1));
        IllegalStateException e = assertThrows(IllegalStateException.class, ints::floats);
        assertTrue(e.getMessage().contains("'axes'") && e.getMessage().contains("INT64"), e.getMessage());
        OnnxTensor floats = parse(new ProtoWriter().varint(DATA_TYPE, 1).floatValue(FLOAT_DATA, 1f));
        assertThrows(IllegalStateException.class, floats::longs);
    }

    @Test
    void wrongValueCountIsAnErrorNamingTheFile() {
        IOException e = assertThrows(IOException.class, () -> parse(new ProtoWriter().varint(DIMS, 3)
                .varint(DATA_TYPE, 1).packedFloats(FLOAT_DATA, 1f, 2f)));
        assertTrue(e.getMessage().startsWith("test.pb:") && e.getMessage().contains("need 12 bytes, got 8"),
                e.getMessage());
    }

    @Test
    void valuesInTheWrongTypedFieldAreAnError() {
        IOException e = assertThrows(IOException.class, () -> parse(new ProtoWriter().varint(DIMS, 1)
                .varint(DATA_TYPE, 1).varint(INT64_DATA, 1)));
        assertTrue(e.getMessage().contains("FLOAT values in field 7"), e.getMessage());
        assertThrows(IOException.class, () -> parse(new ProtoWriter().varint(DIMS, 1).varint(DATA_TYPE, 1)
                .floatValue(FLOAT_DATA, 1f).bytes(RAW_DATA, new byte[4])));
    }

    @Test
    void unsupportedStorageIsRejected() {
        IOException external = assertThrows(IOException.class, () -> parse(new ProtoWriter().varint(DIMS, 1)
                .varint(DATA_TYPE, 1).varint(DATA_LOCATION, 1)));
        assertTrue(external.getMessage().contains("external data"), external.getMessage());
        IOException strings = assertThrows(IOException.class, () -> parse(new ProtoWriter().varint(DIMS, 1)
                .varint(DATA_TYPE, 8).string(STRING_DATA, "a")));
        assertTrue(strings.getMessage().contains("STRING"), strings.getMessage());
        IOException unknown = assertThrows(IOException.class, () -> parse(new ProtoWriter().varint(DATA_TYPE, 99)));
        assertTrue(unknown.getMessage().contains("unsupported data type 99"), unknown.getMessage());
    }
}
