package io.ucag.weights.safetensors;

import io.ucag.weights.DType;
import io.ucag.weights.NamedTensor;
import io.ucag.weights.WeightSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafetensorsTest {
    @TempDir
    Path dir;

    /** A safetensors file from a header text and raw data bytes, exactly as given (no padding). */
    private Path file(String name, String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
        out.write(h);
        out.write(data);
        return Files.write(dir.resolve(name), out.toByteArray());
    }

    private static byte[] floats(float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    @Test
    void roundTripKeepsNamesOrderShapesValuesAndMetadata() throws IOException {
        WeightSet w = new WeightSet()
                .add(new NamedTensor("z.weight", new int[] {2, 3}, new float[] {1, -2, 3.5f, Float.MIN_VALUE, 0, -0f}))
                .add(new NamedTensor("a.bias", new int[] {3}, new float[] {7, 8, 9}))
                .add(new NamedTensor("scalar", new int[] {}, new float[] {42}))
                .add(new NamedTensor("empty", new int[] {0, 5}, new float[0]))
                .add(new NamedTensor("caf\u00e9/\u6743\u91cd", new int[] {1}, new float[] {5}))
                .putMetadata("architecture", "resnet50-keras").putMetadata("quote", "a \"b\" \\ é");
        Path f = dir.resolve("w.safetensors");
        SafetensorsWriter.write(w, f);
        WeightSet r = SafetensorsReader.read(f);
        assertEquals(w.names(), r.names());
        for (NamedTensor t : w.tensors()) {
            assertArrayEquals(t.shape(), r.get(t.name()).shape());
            assertArrayEquals(t.data(), r.get(t.name()).data());
            assertEquals(DType.F32, r.get(t.name()).storedAs());
        }
        assertEquals(Map.of("architecture", "resnet50-keras", "quote", "a \"b\" \\ é"), r.metadata());
        SafetensorsHeader header = SafetensorsHeader.read(f);
        assertEquals(0, header.dataStart() % 8, "data section is 8-byte aligned");
        assertEquals(header.dataStart() + 4 * (6 + 3 + 1 + 1), Files.size(f));
        String headerText = new String(Files.readAllBytes(f), 8, (int) header.dataStart() - 8, StandardCharsets.UTF_8);
        assertTrue(headerText.matches("\\{.*\\} *"), "JSON then space padding: " + headerText);
    }

    @Test
    void largeTensorRoundTripsAcrossWriteChunks() throws IOException {
        float[] big = new float[(1 << 18) * 2 + 17];
        for (int i = 0; i < big.length; i++) {
            big[i] = i * 0.25f - 1000;
        }
        Path f = dir.resolve("big.safetensors");
        SafetensorsWriter.write(new WeightSet().add(new NamedTensor("big", new int[] {big.length}, big)), f);
        assertArrayEquals(big, SafetensorsReader.read(f).get("big").data());
    }

    @Test
    void tensorsLargerThanOneMappingAreReadInPieces() throws IOException {
        float[] values = new float[1001];
        for (int i = 0; i < values.length; i++) {
            values[i] = i - 500.25f;
        }
        Path f = dir.resolve("pieces.safetensors");
        SafetensorsWriter.write(new WeightSet().add(new NamedTensor("a", new int[] {7, 143}, values))
                .add(new NamedTensor("b", new int[] {3}, new float[] {1, 2, 3})), f);
        WeightSet w = SafetensorsReader.read(f, 12); // three floats per mapping
        assertArrayEquals(values, w.get("a").data());
        assertArrayEquals(new float[] {1, 2, 3}, w.get("b").data());
    }

    @Test
    void readsAFileWrittenByTheReferenceImplementation() throws Exception {
        // safetensors.numpy.save_file (make_weight_fixtures.py); it orders tensors by alignment, then name.
        Path f = Path.of(getClass().getResource("/io/ucag/weights/torch/reference.safetensors").toURI());
        WeightSet w = SafetensorsReader.read(f);
        assertEquals(List.of("longs", "floats", "half"), w.names());
        assertArrayEquals(new float[] {1f, -2.5f, 65504f, 0x1p-24f}, w.require("half", 2, 2).data());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, w.require("floats", 2, 3).data());
        assertArrayEquals(new float[] {-3f, 0x1p40f}, w.require("longs", 2).data());
        assertEquals(DType.I64, w.get("longs").storedAs());
        assertEquals(Map.of("writer", "safetensors.numpy"), w.metadata());
    }

    @Test
    void readsHandWrittenF16AndBf16() throws IOException {
        ByteBuffer data = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        data.putShort((short) 0x3c00).putShort((short) 0xc100).putShort((short) 0x0001).putShort((short) 0x7bff);
        data.putShort((short) 0x3f80).putShort((short) 0xbfc0);
        Path f = file("half.safetensors", "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"h\":{\"dtype\":\"F16\",\"shape\":[2,2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[8,12]}}", data.array());
        WeightSet w = SafetensorsReader.read(f);
        assertArrayEquals(new float[] {1f, -2.5f, 0x1p-24f, 65504f}, w.require("h", 2, 2).data());
        assertEquals(DType.F16, w.get("h").storedAs());
        assertArrayEquals(new float[] {1f, -1.5f}, w.require("b", 2).data());
        assertEquals(Map.of("format", "pt"), w.metadata());
    }

    @Test
    void writingOverAnExistingFileIsAtomicAndLeavesNoTemporaries() throws IOException {
        Path f = dir.resolve("w.safetensors");
        SafetensorsWriter.write(new WeightSet().add(new NamedTensor("a", new int[] {1}, new float[] {1})), f);
        SafetensorsWriter.write(new WeightSet().add(new NamedTensor("b", new int[] {1}, new float[] {2})), f);
        assertEquals(List.of("b"), SafetensorsReader.read(f).names());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(f), files.toList());
        }
    }

    private void assertCorrupt(Path f, String... fragments) {
        IOException e = assertThrows(IOException.class, () -> SafetensorsReader.read(f));
        assertTrue(e.getMessage().startsWith(f.toString() + ": "), e.getMessage());
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "'" + fragment + "' not in: " + e.getMessage());
        }
    }

    private static final String TWO = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
            + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}";

    @Test
    void validFileForTheCorruptionCases() throws IOException {
        WeightSet w = SafetensorsReader.read(file("ok.safetensors", TWO, floats(1, 2, 3)));
        assertArrayEquals(new float[] {3}, w.get("b").data());
    }

    @Test
    void tooShortForTheLength() throws IOException {
        assertCorrupt(Files.write(dir.resolve("tiny.safetensors"), new byte[] {1, 2, 3}), "truncated: 3 bytes");
    }

    @Test
    void headerLengthBeyondTheFile() throws IOException {
        byte[] bytes = Files.readAllBytes(file("x.safetensors", TWO, floats(1, 2, 3)));
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40);
        assertCorrupt(Files.write(dir.resolve("len.safetensors"), bytes), "header length 1099511627776",
                "does not fit the file");
    }

    @Test
    void truncatedDataNamesTheTensor() throws IOException {
        Path f = file("cut.safetensors", TWO, floats(1, 2, 3));
        byte[] bytes = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(bytes, bytes.length - 2));
        assertCorrupt(f, "tensor 'b'", "data_offsets [8,12] extend past the end of the data (10 bytes)",
                "truncated");
    }

    @Test
    void shapeAndByteRangeDisagree() throws IOException {
        assertCorrupt(file("size.safetensors",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", floats(1, 2)),
                "tensor 'a': shape (3) F32 needs 12 bytes but data_offsets [0,8] span 8");
    }

    @Test
    void overlappingTensors() throws IOException {
        assertCorrupt(file("overlap.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", floats(1, 2, 3)),
                "tensor 'b' data_offsets [4,12] overlap tensor 'a' [0,8]");
    }

    @Test
    void gapBetweenTensors() throws IOException {
        assertCorrupt(file("gap.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", floats(1, 2, 3)),
                "tensor 'b' data_offsets [8,12] leave a gap of 4 bytes after tensor 'a'");
    }

    @Test
    void trailingBytes() throws IOException {
        assertCorrupt(file("trail.safetensors", TWO, floats(1, 2, 3, 4)),
                "4 bytes after the last tensor 'b' belong to no tensor");
    }

    @Test
    void unknownDtypeAndBadFields() throws IOException {
        assertCorrupt(file("dtype.safetensors", "{\"a\":{\"dtype\":\"C64\",\"shape\":[1],\"data_offsets\":[0,8]}}",
                floats(1, 2)), "tensor 'a': unsupported dtype C64");
        assertCorrupt(file("shape.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}",
                floats(1)), "tensor 'a': bad shape [-1]");
        assertCorrupt(file("off.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}",
                floats(1)), "tensor 'a': bad data_offsets [4, 0]");
        assertCorrupt(file("extra.safetensors",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":1}}", floats(1)),
                "tensor 'a': unexpected header field 'x'");
    }

    @Test
    void badHeaders() throws IOException {
        assertCorrupt(file("json.safetensors", "{\"a\":", new byte[0]), "header: JSON syntax error");
        assertCorrupt(file("notobj.safetensors", "[1, 2]", new byte[0]), "does not start with '{'");
        assertCorrupt(file("dup.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", floats(1)), "duplicate key \"a\"");
        assertCorrupt(file("meta.safetensors", "{\"__metadata__\":{\"epoch\":3}}", new byte[0]),
                "__metadata__ value of 'epoch' is not a string");
        assertCorrupt(file("entry.safetensors", "{\"\u00e9\":1}", new byte[0]),
                "tensor '\u00e9': header entry is not a JSON object");
        Path invalidUtf8 = dir.resolve("bad-utf8.safetensors");
        ByteBuffer b = ByteBuffer.allocate(8 + 4).order(ByteOrder.LITTLE_ENDIAN).putLong(4);
        b.put(new byte[] {'{', (byte) 0xff, ' ', '}'});
        Files.write(invalidUtf8, b.array());
        assertCorrupt(invalidUtf8, "header is not valid UTF-8");
    }

    @Test
    void emptyFileWithOnlyMetadataIsValid() throws IOException {
        WeightSet w = SafetensorsReader.read(file("meta-only.safetensors", "{\"__metadata__\":{\"k\":\"v\"}}",
                new byte[0]));
        assertEquals(0, w.size());
        assertEquals("v", w.metadata().get("k"));
    }
}
