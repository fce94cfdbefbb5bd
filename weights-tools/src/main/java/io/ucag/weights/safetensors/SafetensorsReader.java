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

    public static WeightSet read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            SafetensorsHeader header = SafetensorsHeader.read(file, ch);
            WeightSet set = new WeightSet();
            header.metadata().forEach(set::putMetadata);
            for (SafetensorsHeader.Entry e : header.entries()) {
                float[] values = new float[(int) NamedTensor.numel(e.shape())];
                if (values.length > 0) {
                    // One mapping per tensor: a single tensor always fits a mapping, a whole file may not (> 2 GiB).
                    MappedByteBuffer bytes = ch.map(FileChannel.MapMode.READ_ONLY, header.dataStart() + e.begin(),
                            e.byteLength());
                    e.dtype().decode(bytes, values, 0, values.length);
                }
                set.add(new NamedTensor(e.name(), e.shape(), values, e.dtype()));
            }
            return set;
        }
    }
}
