package io.ucag.weights;

import io.ucag.weights.safetensors.SafetensorsReader;
import io.ucag.weights.tfjs.TfjsLayersModelReader;
import io.ucag.weights.torch.TorchCheckpointReader;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Recognises a weight file's format from its first bytes and reads it with the matching reader. */
public final class WeightFiles {
    /** The formats this module reads. */
    public enum Format {
        SAFETENSORS("safetensors"), TORCH("torch.save (.pth)"), TFJS("TF.js layers model (model.json)");

        private final String description;

        Format(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    private WeightFiles() {
    }

    public static Format detect(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new java.nio.file.NoSuchFileException(file.toString());
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(4096);
        }
        long size = Files.size(file);
        if (head.length >= 10 && head[8] == '{') {
            long headerLength = ByteBuffer.wrap(head, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (headerLength >= 2 && headerLength <= size - 8) {
                return Format.SAFETENSORS;
            }
        }
        if (TorchCheckpointReader.looksLikeTorch(head)) {
            return Format.TORCH;
        }
        if (TfjsLayersModelReader.looksLikeModelJson(new String(head, StandardCharsets.UTF_8))) {
            return Format.TFJS;
        }
        throw new IOException(file + ": unknown weight file format (expected safetensors, a torch.save .pth or a"
                + " TF.js model.json)");
    }

    /** Reads any supported format into float32 tensors. */
    public static WeightSet read(Path file) throws IOException {
        return switch (detect(file)) {
            case SAFETENSORS -> SafetensorsReader.read(file);
            case TORCH -> TorchCheckpointReader.read(file);
            case TFJS -> TfjsLayersModelReader.read(file);
        };
    }
}
