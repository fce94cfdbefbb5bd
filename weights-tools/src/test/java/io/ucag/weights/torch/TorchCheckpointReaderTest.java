package io.ucag.weights.torch;

import io.ucag.weights.DType;
import io.ucag.weights.NamedTensor;
import io.ucag.weights.WeightSet;
import io.ucag.weights.safetensors.SafetensorsReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The .pth importer against checkpoints written by torch 1.13 (src/test/fixtures/make_weight_fixtures.py). */
class TorchCheckpointReaderTest {
    static Path fixture(String name) {
        try {
            return Path.of(TorchCheckpointReaderTest.class.getResource(name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test resource " + name + " is missing", e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"fp32", "fp16", "bf16", "views", "shared", "sequential", "checkpoint", "legacy"})
    void loadsTheValuesTorchSaved(String name) throws IOException {
        WeightSet actual = TorchCheckpointReader.read(fixture(name + ".pth"));
        WeightSet expected = SafetensorsReader.read(fixture(name + ".expected.safetensors"));
        assertEquals(expected.names(), actual.names(), "tensor names and order");
        for (NamedTensor e : expected.tensors()) {
            NamedTensor a = actual.get(e.name());
            assertArrayEquals(e.shape(), a.shape(), e.name() + " shape");
            assertArrayEquals(e.data(), a.data(), e.name() + " values");
        }
    }

    @Test
    void handValuesOfTheFp16Fixture() throws IOException {
        NamedTensor half = TorchCheckpointReader.read(fixture("fp16.pth")).get("half");
        assertEquals(DType.F16, half.storedAs());
        // 1/3 rounds to 0x3555 in binary16 = 0.333251953125; 6e-8 is the smallest subnormal 2^-24.
        assertArrayEquals(new float[] {1f, -2.5f, 0.333251953125f, 65504f, 0x1p-24f, -0f,
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}, half.data());
    }

    @Test
    void stridedViewsAreMaterialisedRowMajor() throws IOException {
        WeightSet views = TorchCheckpointReader.read(fixture("views.pth"));
        // base = arange(24).reshape(6,4): transposed row 0 is base's column 0.
        NamedTensor t = views.require("transposed", 4, 6);
        assertArrayEquals(new float[] {0, 4, 8, 12, 16, 20}, java.util.Arrays.copyOf(t.data(), 6));
        // base[1:5:2, 1::2] = rows 1,3 and columns 1,3 -> offset 5, strides (8,2).
        assertArrayEquals(new float[] {5, 7, 13, 15}, views.require("sliced", 2, 2).data());
        assertArrayEquals(new float[] {3, 7, 11, 15, 19, 23}, views.require("column", 6).data());
        assertArrayEquals(new float[] {7, 7, 7, 8, 8, 8}, views.require("expanded", 2, 3).data());
    }

    @Test
    void sharedStoragesGiveIndependentDenseCopies() throws IOException {
        WeightSet shared = TorchCheckpointReader.read(fixture("shared.pth"));
        assertArrayEquals(new float[] {4, 5, 6, 7}, shared.require("middle", 4).data());
        assertEquals(11f, shared.require("whole", 3, 4).data()[11]);
    }

    @Test
    void stateDictOfASequentialKeepsOrderAndConvertsInt64Buffers() throws IOException {
        WeightSet sd = TorchCheckpointReader.read(fixture("sequential.pth"));
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var",
                "1.num_batches_tracked", "4.weight", "4.bias"), sd.names());
        NamedTensor tracked = sd.require("1.num_batches_tracked");
        assertEquals(DType.I64, tracked.storedAs());
        assertArrayEquals(new float[] {1f}, tracked.data());
        sd.require("0.weight", 3, 2, 3, 3);
        sd.require("4.weight", 4, 12);
    }

    @Test
    void topFolderNameOfTheZipMayBeAnything() throws IOException {
        WeightSet fromBuffer = TorchCheckpointReader.read(fixture("buffer.pth"));
        WeightSet fromFile = TorchCheckpointReader.read(fixture("fp32.pth"));
        assertEquals(fromFile.names(), fromBuffer.names());
        assertArrayEquals(fromFile.get("matrix").data(), fromBuffer.get("matrix").data());
    }

    @Test
    void aPickledModuleIsRefusedNamingTheClass() {
        IOException e = assertThrows(IOException.class, () -> TorchCheckpointReader.read(fixture("module.pth")));
        assertTrue(e.getMessage().contains("torch.nn.modules.activation.ReLU"), e.getMessage());
        assertTrue(e.getMessage().contains("never executes"), e.getMessage());
    }

    @Test
    void aTruncatedArchiveIsAnError(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        byte[] whole = Files.readAllBytes(fixture("fp32.pth"));
        Path cut = dir.resolve("cut.pth");
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2));
        IOException e = assertThrows(IOException.class, () -> TorchCheckpointReader.read(cut));
        assertTrue(e.getMessage().startsWith(cut + ": not a readable zip archive, truncated or damaged"),
                e.getMessage());
    }

    @Test
    void aTruncatedLegacyFileNamesTheStorage(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        byte[] whole = Files.readAllBytes(fixture("legacy.pth"));
        Path cut = dir.resolve("cut.pth");
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length - 4));
        IOException e = assertThrows(IOException.class, () -> TorchCheckpointReader.read(cut));
        assertTrue(e.getMessage().contains("cut.pth: storage '") && e.getMessage().contains("truncated"),
                e.getMessage());
    }

    @Test
    void notATorchFile(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path text = Files.writeString(dir.resolve("x.pth"), "hello");
        IOException e = assertThrows(IOException.class, () -> TorchCheckpointReader.read(text));
        assertTrue(e.getMessage().contains("not a torch.save file"), e.getMessage());
    }
}
