package io.ucag.weights.tfjs;

import io.ucag.weights.NamedTensor;
import io.ucag.weights.WeightSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The TF.js reader on small synthetic models whose tensors straddle shard boundaries. */
class TfjsLayersModelReaderTest {
    @TempDir
    Path dir;

    private static final String MODEL = """
            {"format": "layers-model", "generatedBy": "keras v2.2.4-tf", "convertedBy": "test",
             "modelTopology": {"keras_version": "2.2.4"},
             "weightsManifest": [
               {"paths": ["group1-shard1of3.bin", "group1-shard2of3.bin", "group1-shard3of3.bin"],
                "weights": [{"name": "conv1/kernel", "shape": [1, 2, 2, 3], "dtype": "float32"},
                            {"name": "conv1/bias", "shape": [3], "dtype": "float32"},
                            {"name": "step", "shape": [], "dtype": "int32"}]},
               {"paths": ["group2-shard1of1.bin"],
                "weights": [{"name": "fc1000/kernel", "shape": [2, 2], "dtype": "float32"}]}]}
            """;

    /** Writes model.json and shards: group 1 holds 12 + 3 float32 then one int32 (64 bytes), cut 24/24/16. */
    private Path writeModel() throws IOException {
        ByteBuffer g1 = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 15; i++) {
            g1.putFloat(i + 0.5f);
        }
        g1.putInt(-7);
        byte[] b = g1.array();
        Files.write(dir.resolve("group1-shard1of3.bin"), Arrays.copyOfRange(b, 0, 24));
        Files.write(dir.resolve("group1-shard2of3.bin"), Arrays.copyOfRange(b, 24, 48));
        Files.write(dir.resolve("group1-shard3of3.bin"), Arrays.copyOfRange(b, 48, 64));
        ByteBuffer g2 = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putFloat(1).putFloat(2).putFloat(3)
                .putFloat(4);
        Files.write(dir.resolve("group2-shard1of1.bin"), g2.array());
        return Files.writeString(dir.resolve("model.json"), MODEL);
    }

    @Test
    void readsTensorsAcrossShardsInManifestOrder() throws IOException {
        WeightSet w = TfjsLayersModelReader.read(writeModel());
        assertEquals(List.of("conv1/kernel", "conv1/bias", "step", "fc1000/kernel"), w.names());
        NamedTensor kernel = w.require("conv1/kernel", 1, 2, 2, 3);
        assertEquals(0.5f, kernel.data()[0]);
        assertEquals(11.5f, kernel.data()[11]);
        assertArrayEquals(new float[] {12.5f, 13.5f, 14.5f}, w.require("conv1/bias", 3).data());
        assertArrayEquals(new float[] {-7f}, w.require("step").data());
        assertArrayEquals(new float[] {1, 2, 3, 4}, w.require("fc1000/kernel", 2, 2).data());
        assertEquals("layers-model", w.metadata().get("tfjs_format"));
        assertEquals("keras v2.2.4-tf", w.metadata().get("tfjs_generated_by"));
    }

    @Test
    void aShortMiddleShardIsNamed() throws IOException {
        Path model = writeModel();
        Path shard = dir.resolve("group1-shard2of3.bin");
        Files.write(shard, Arrays.copyOf(Files.readAllBytes(shard), 20));
        IOException e = assertThrows(IOException.class, () -> TfjsLayersModelReader.read(model));
        assertTrue(e.getMessage().contains("weightsManifest[0]: shard group1-shard2of3.bin is truncated"),
                e.getMessage());
        assertTrue(e.getMessage().contains("need 64 bytes, the 3 shards hold 60 (4 missing; tensor 'step'"),
                e.getMessage());
    }

    @Test
    void aShortLastShardIsNamed() throws IOException {
        Path model = writeModel();
        Path shard = dir.resolve("group2-shard1of1.bin");
        Files.write(shard, Arrays.copyOf(Files.readAllBytes(shard), 13));
        IOException e = assertThrows(IOException.class, () -> TfjsLayersModelReader.read(model));
        assertTrue(e.getMessage().contains("weightsManifest[1]: shard group2-shard1of1.bin is truncated"),
                e.getMessage());
        assertTrue(e.getMessage().contains("tensor 'fc1000/kernel'"), e.getMessage());
    }

    @Test
    void aMissingShardIsNamed() throws IOException {
        Path model = writeModel();
        Files.delete(dir.resolve("group1-shard3of3.bin"));
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> TfjsLayersModelReader.read(model));
        assertTrue(e.getMessage().contains("group1-shard3of3.bin"), e.getMessage());
    }

    @Test
    void extraBytesMeanTheShardsBelongToAnotherModel() throws IOException {
        Path model = writeModel();
        Files.write(dir.resolve("group2-shard1of1.bin"), new byte[20]);
        IOException e = assertThrows(IOException.class, () -> TfjsLayersModelReader.read(model));
        assertTrue(e.getMessage().contains("the shards hold 20 bytes but the manifest's weights need 16"),
                e.getMessage());
    }

    @Test
    void unsupportedEntriesAreNamed() throws IOException {
        writeModel();
        Path quantized = Files.writeString(dir.resolve("q.json"), MODEL.replace(
                "\"dtype\": \"int32\"", "\"dtype\": \"int32\", \"quantization\": {\"dtype\": \"uint8\"}"));
        assertTrue(assertThrows(IOException.class, () -> TfjsLayersModelReader.read(quantized)).getMessage()
                .contains("tensor 'step' is quantized"));
        Path bool = Files.writeString(dir.resolve("b.json"), MODEL.replace("\"int32\"", "\"bool\""));
        assertTrue(assertThrows(IOException.class, () -> TfjsLayersModelReader.read(bool)).getMessage()
                .contains("tensor 'step' has unsupported dtype bool"));
        Path noManifest = Files.writeString(dir.resolve("n.json"), "{\"modelTopology\": {}}");
        assertTrue(assertThrows(IOException.class, () -> TfjsLayersModelReader.read(noManifest)).getMessage()
                .contains("no \"weightsManifest\" list"));
    }
}
