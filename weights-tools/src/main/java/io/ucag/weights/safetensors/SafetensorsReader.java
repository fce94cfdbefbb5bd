package io.ucag.weights.safetensors;

import io.ucag.weights.NamedTensor;
import io.ucag.weights.WeightSet;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads a safetensors file into a {@link WeightSet}: F32, F16 and BF16 (and the other {@link io.ucag.weights.DType}s)
 * become float32; {@code __metadata__} becomes the set's metadata; tensors keep the file's data order.
 */
public final class SafetensorsReader {
    private SafetensorsReader() {
    }

    /** Mappings are at most this large (FileChannel.map takes at most 2 GiB; one tensor may exceed that). */
    private static final int MAX_MAP_BYTES = 1 << 30;

    public static WeightSet read(Path file) throws IOException {
        return read(file, MAX_MAP_BYTES);
    }

    static WeightSet read(Path file, int maxMapBytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            SafetensorsHeader header = SafetensorsHeader.read(file, ch);
            WeightSet set = new WeightSet();
            header.metadata().forEach(set::putMetadata);
            for (SafetensorsHeader.Entry e : header.entries()) {
                float[] values = new float[(int) NamedTensor.numel(e.shape())];
                int size = e.dtype().byteSize();
                int perMapping = Math.max(1, maxMapBytes / size);
                long position = header.dataStart() + e.begin();
                for (int done = 0; done < values.length; ) {
                    int count = Math.min(values.length - done, perMapping);
                    MappedByteBuffer bytes = ch.map(FileChannel.MapMode.READ_ONLY, position, (long) count * size);
                    e.dtype().decode(bytes, values, done, count);
                    position += (long) count * size;
                    done += count;
                }
                set.add(new NamedTensor(e.name(), e.shape(), values, e.dtype()));
            }
            return set;
        }
    }
}
