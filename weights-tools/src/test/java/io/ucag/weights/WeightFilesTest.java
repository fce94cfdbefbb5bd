package io.ucag.weights;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WeightFilesTest {
    @TempDir
    Path dir;

    private static Path torchFixture(String name) throws URISyntaxException {
        return Path.of(WeightFilesTest.class.getResource("/io/ucag/weights/torch/" + name).toURI());
    }

    @Test
    void recognisesEachFormatByContent() throws Exception {
        assertEquals(WeightFiles.Format.TORCH, WeightFiles.detect(torchFixture("fp32.pth")));
        assertEquals(WeightFiles.Format.TORCH, WeightFiles.detect(torchFixture("legacy.pth")));
        assertEquals(WeightFiles.Format.SAFETENSORS, WeightFiles.detect(torchFixture("fp32.expected.safetensors")));
        Path json = Files.writeString(dir.resolve("model.json"), "{\n  \"format\": \"layers-model\","
                + " \"weightsManifest\": []}");
        assertEquals(WeightFiles.Format.TFJS, WeightFiles.detect(json));
        assertEquals(0, WeightFiles.read(json).size());
    }

    @Test
    void aSafetensorsHeaderOf123BytesIsNotMistakenForJson() throws IOException {
        // Header length 123 = 0x7b = '{': the file then starts with '{' like a JSON text.
        String header = "{\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        header += " ".repeat(123 - header.length());
        ByteBuffer b = ByteBuffer.allocate(8 + 123 + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(123).put(header.getBytes(StandardCharsets.US_ASCII)).putFloat(2f);
        Path odd = Files.write(dir.resolve("odd.safetensors"), b.array());
        assertEquals('{', Files.readAllBytes(odd)[0]);
        assertEquals(WeightFiles.Format.SAFETENSORS, WeightFiles.detect(odd));
        assertEquals(2f, WeightFiles.read(odd).get("t").data()[0]);
    }

    @Test
    void unknownContentIsAnError() throws IOException {
        Path f = Files.writeString(dir.resolve("x.bin"), "not weights");
        assertThrows(IOException.class, () -> WeightFiles.detect(f));
    }
}
