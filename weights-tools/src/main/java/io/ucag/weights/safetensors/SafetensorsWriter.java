package io.ucag.weights.safetensors;

import io.ucag.weights.DType;
import io.ucag.weights.NamedTensor;
import io.ucag.weights.WeightSet;
import io.ucag.weights.json.Json;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link WeightSet} as a safetensors file with every tensor in F32, in the set's order, and the
 * metadata under {@code __metadata__}.
 *
 * <p>As the reference implementation does, the JSON header is padded with spaces so the data section starts on
 * an 8-byte boundary (F32 tensors are then 4-byte aligned in a memory mapping). The file is written to a
 * temporary sibling and moved into place, so an interrupted run never leaves a partial file under the name.
 */
public final class SafetensorsWriter {
    private static final int CHUNK_FLOATS = 1 << 18;

    private SafetensorsWriter() {
    }

    public static void write(WeightSet weights, Path file) throws IOException {
        byte[] header = header(weights);
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        // A sibling (same file system, so the move is atomic) with the default permissions, unlike createTempFile.
        Path temp = dir.resolve(file.getFileName() + "." + ProcessHandle.current().pid() + "-" + System.nanoTime()
                + ".partial");
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)) {
                ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
                writeFully(ch, length.flip());
                writeFully(ch, ByteBuffer.wrap(header));
                ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK_FLOATS * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                for (NamedTensor t : weights.tensors()) {
                    float[] data = t.data();
                    for (int from = 0; from < data.length; from += CHUNK_FLOATS) {
                        int count = Math.min(CHUNK_FLOATS, data.length - from);
                        chunk.clear();
                        chunk.asFloatBuffer().put(data, from, count);
                        chunk.limit(count * Float.BYTES);
                        writeFully(ch, chunk);
                    }
                }
                ch.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** The JSON header bytes, space-padded so that 8 + length is a multiple of 8. */
    static byte[] header(WeightSet weights) {
        Map<String, Object> json = new LinkedHashMap<>();
        if (!weights.metadata().isEmpty()) {
            json.put(SafetensorsHeader.METADATA_KEY, new LinkedHashMap<>(weights.metadata()));
        }
        long offset = 0;
        for (NamedTensor t : weights.tensors()) {
            if (t.name().equals(SafetensorsHeader.METADATA_KEY)) {
                throw new IllegalArgumentException("a tensor cannot be called " + SafetensorsHeader.METADATA_KEY);
            }
            long end = offset + (long) t.numel() * DType.F32.byteSize();
            List<Object> shape = new ArrayList<>();
            for (int d : t.shape()) {
                shape.add((long) d);
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("dtype", DType.F32.name());
            entry.put("shape", shape);
            entry.put("data_offsets", List.of(offset, end));
            json.put(t.name(), entry);
            offset = end;
        }
        byte[] text = Json.write(json).getBytes(StandardCharsets.UTF_8);
        int padded = (text.length + 7) / 8 * 8;
        byte[] header = new byte[padded];
        System.arraycopy(text, 0, header, 0, text.length);
        for (int i = text.length; i < padded; i++) {
            header[i] = ' ';
        }
        return header;
    }

    private static void writeFully(FileChannel ch, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            ch.write(buffer);
        }
    }
}
