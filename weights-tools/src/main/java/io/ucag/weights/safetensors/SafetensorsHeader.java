package io.ucag.weights.safetensors;

import io.ucag.weights.DType;
import io.ucag.weights.NamedTensor;
import io.ucag.weights.json.Json;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed and validated header of a safetensors file (https://github.com/huggingface/safetensors):
 * an 8-byte little-endian header length N, N bytes of UTF-8 JSON (possibly padded with spaces), then the data.
 *
 * <p>Validation is as strict as the reference implementation: every tensor's byte range must match its shape
 * and dtype, and the ranges must tile the data section exactly (no overlap, no gap, no trailing bytes).
 *
 * @param file        the file read, for error messages
 * @param dataStart   byte offset of the data section (8 + N)
 * @param entries     tensors in data order
 * @param metadata    the {@code __metadata__} string map in file order (empty when absent)
 */
public record SafetensorsHeader(Path file, long dataStart, List<Entry> entries, Map<String, String> metadata) {
    /** Larger headers are refused (the reference implementation's limit) so a corrupt length cannot OOM. */
    public static final long MAX_HEADER_BYTES = 100L << 20;
    static final String METADATA_KEY = "__metadata__";

    /** One tensor's header entry; {@code begin}/{@code end} are relative to the data section. */
    public record Entry(String name, DType dtype, int[] shape, long begin, long end) {
        public long byteLength() {
            return end - begin;
        }
    }

    /** Reads and validates the header of {@code file} without reading the tensor data. */
    public static SafetensorsHeader read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(file, ch);
        }
    }

    static SafetensorsHeader read(Path file, FileChannel ch) throws IOException {
        long size = ch.size();
        if (size < 8) {
            throw error(file, "truncated: " + size + " bytes, but a safetensors file starts with an 8-byte"
                    + " header length");
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, lengthBytes, 0, file);
        long headerLength = lengthBytes.getLong(0);
        if (headerLength < 2 || headerLength > size - 8) {
            throw error(file, "header length " + Long.toUnsignedString(headerLength) + " does not fit the file ("
                    + size + " bytes): truncated or not a safetensors file");
        }
        if (headerLength > MAX_HEADER_BYTES) {
            throw error(file, "header length " + headerLength + " exceeds the " + MAX_HEADER_BYTES + "-byte limit");
        }
        ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
        readFully(ch, headerBytes, 8, file);
        String json;
        try {
            json = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(headerBytes.flip()).toString();
        } catch (CharacterCodingException e) {
            throw error(file, "header is not valid UTF-8");
        }
        if (!json.startsWith("{")) {
            throw error(file, "header does not start with '{': not a safetensors file");
        }
        Object parsed;
        try {
            parsed = Json.parse(json);
        } catch (Json.JsonException e) {
            throw error(file, "header: " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> top)) {
            throw error(file, "header is not a JSON object");
        }
        long dataStart = 8 + headerLength;
        return validate(file, top, dataStart, size - dataStart);
    }

    private static SafetensorsHeader validate(Path file, Map<?, ?> top, long dataStart, long dataLength)
            throws IOException {
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<?, ?> e : top.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals(METADATA_KEY)) {
                if (!(e.getValue() instanceof Map<?, ?> meta)) {
                    throw error(file, METADATA_KEY + " is not a JSON object");
                }
                for (Map.Entry<?, ?> m : meta.entrySet()) {
                    if (!(m.getValue() instanceof String value)) {
                        throw error(file, METADATA_KEY + " value of '" + m.getKey() + "' is not a string");
                    }
                    metadata.put((String) m.getKey(), value);
                }
            } else {
                entries.add(entry(file, name, e.getValue(), dataLength));
            }
        }
        entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expectedBegin = 0;
        Entry previous = null;
        for (Entry entry : entries) {
            if (entry.begin() < expectedBegin) {
                throw error(file, "tensor '" + entry.name() + "' data_offsets " + range(entry) + " overlap tensor '"
                        + previous.name() + "' " + range(previous));
            }
            if (entry.begin() > expectedBegin) {
                throw error(file, "tensor '" + entry.name() + "' data_offsets " + range(entry) + " leave a gap of "
                        + (entry.begin() - expectedBegin) + " bytes after "
                        + (previous == null ? "the header" : "tensor '" + previous.name() + "'"));
            }
            expectedBegin = entry.end();
            previous = entry;
        }
        if (expectedBegin != dataLength) {
            throw error(file, (dataLength - expectedBegin) + " bytes after the last tensor"
                    + (previous == null ? "" : " '" + previous.name() + "'") + " belong to no tensor");
        }
        return new SafetensorsHeader(file, dataStart, List.copyOf(entries), Collections.unmodifiableMap(metadata));
    }

    private static Entry entry(Path file, String name, Object value, long dataLength) throws IOException {
        String where = "tensor '" + name + "'";
        if (!(value instanceof Map<?, ?> info)) {
            throw error(file, where + ": header entry is not a JSON object");
        }
        for (Object key : info.keySet()) {
            if (!List.of("dtype", "shape", "data_offsets").contains(key)) {
                throw error(file, where + ": unexpected header field '" + key + "'");
            }
        }
        if (!(info.get("dtype") instanceof String dtypeName)) {
            throw error(file, where + ": missing or non-string \"dtype\"");
        }
        DType dtype = DType.fromSafetensorsName(dtypeName);
        if (dtype == null) {
            throw error(file, where + ": unsupported dtype " + dtypeName);
        }
        if (!(info.get("shape") instanceof List<?> shapeList)) {
            throw error(file, where + ": missing or non-array \"shape\"");
        }
        int[] shape = new int[shapeList.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!(shapeList.get(i) instanceof Long d) || d < 0 || d > Integer.MAX_VALUE) {
                throw error(file, where + ": bad shape " + shapeList);
            }
            shape[i] = (int) (long) d;
        }
        if (!(info.get("data_offsets") instanceof List<?> offsets) || offsets.size() != 2
                || !(offsets.get(0) instanceof Long begin) || !(offsets.get(1) instanceof Long end)
                || begin < 0 || end < begin) {
            throw error(file, where + ": bad data_offsets " + info.get("data_offsets"));
        }
        if (end > dataLength) {
            throw error(file, where + ": data_offsets [" + begin + "," + end + "] extend past the end of the data ("
                    + dataLength + " bytes): the file is truncated or the header is wrong");
        }
        long numel = NamedTensor.numel(shape);
        if (numel > Integer.MAX_VALUE - 8) {
            throw error(file, where + ": shape " + NamedTensor.formatShape(shape)
                    + " has too many elements for one Java array");
        }
        long needed = numel * dtype.byteSize();
        if (needed != end - begin) {
            throw error(file, where + ": shape " + NamedTensor.formatShape(shape) + " " + dtype + " needs " + needed
                    + " bytes but data_offsets [" + begin + "," + end + "] span " + (end - begin));
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    private static String range(Entry e) {
        return "[" + e.begin() + "," + e.end() + "]";
    }

    private static void readFully(FileChannel ch, ByteBuffer buffer, long position, Path file) throws IOException {
        long p = position;
        while (buffer.hasRemaining()) {
            int n = ch.read(buffer, p);
            if (n < 0) {
                throw error(file, "unexpected end of file at byte " + p);
            }
            p += n;
        }
    }

    static IOException error(Path file, String message) {
        return new IOException(file + ": " + message);
    }
}
