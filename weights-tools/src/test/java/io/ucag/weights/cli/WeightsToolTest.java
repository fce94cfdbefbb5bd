package io.ucag.weights.cli;

import io.ucag.weights.NamedTensor;
import io.ucag.weights.WeightSet;
import io.ucag.weights.fetch.Hashes;
import io.ucag.weights.safetensors.SafetensorsReader;
import io.ucag.weights.safetensors.SafetensorsWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WeightsToolTest {
    @TempDir
    Path dir;

    private record Result(int status, String out, String err) {
    }

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = WeightsTool.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(WeightsToolTest.class.getResource("/io/ucag/weights/torch/" + name).toURI());
    }

    @Test
    void usageErrorsExitWith2() {
        Result none = run();
        assertEquals(2, none.status());
        assertTrue(none.err().startsWith("usage: java -jar weights-tools.jar"), none.err());
        assertEquals(0, run("help").status());
        Result unknown = run("frobnicate");
        assertEquals(2, unknown.status());
        assertTrue(unknown.err().startsWith("weights-tools: unknown command 'frobnicate'\nusage:"), unknown.err());
        assertEquals(2, run("inspect").status());
        assertEquals(2, run("convert", "a.pth").status());
        assertEquals(2, run("convert", "a.pth", "b.bin").status());
        assertEquals(2, run("fetch").status());
        assertEquals(2, run("fetch", "vgg99").status());
        assertEquals(2, run("fetch", "resnet50-keras", "--cache").status());
    }

    @Test
    void inspectListsTensorsParametersAndTheFileHash() throws Exception {
        Path pth = fixture("fp16.pth");
        Result r = run("inspect", pth.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("format: torch.save (.pth)\n"), r.out());
        assertTrue(r.out().contains("sha256: " + Hashes.sha256(pth) + "\n"), r.out());
        assertTrue(r.out().contains("tensors: 2\n"), r.out());
        assertTrue(r.out().matches("(?s).*\\n  half +F16 +\\(8\\)\\n  half_matrix +F16 +\\(3,4\\)\\n.*"), r.out());
        assertTrue(r.out().contains("parameters: 20\n"), r.out());
        assertTrue(r.out().contains("finite: NO, tensor 'half' (8): value Infinity at flat index 6"), r.out());
    }

    @Test
    void convertsAPthToSafetensors() throws Exception {
        Path out = dir.resolve("seq.safetensors");
        Result r = run("convert", fixture("sequential.pth").toString(), out.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals("wrote " + out + ": 9 tensors, 122 parameters\n", r.out()); // 54+3 conv, 4x3+1 BN, 48+4 linear
        WeightSet converted = SafetensorsReader.read(out);
        WeightSet expected = SafetensorsReader.read(fixture("sequential.expected.safetensors"));
        assertEquals(expected.names(), converted.names());
        for (NamedTensor t : expected.tensors()) {
            assertArrayEquals(t.data(), converted.get(t.name()).data(), t.name());
        }
        assertEquals("torch:sequential.pth", converted.metadata().get("converted_from"));
        Result again = run("inspect", out.toString());
        assertTrue(again.out().contains("metadata: converted_from = torch:sequential.pth\n"), again.out());
    }

    @Test
    void failuresPrintOneLineAndExitWith1() throws IOException {
        Result missing = run("inspect", dir.resolve("nope.pth").toString());
        assertEquals(1, missing.status());
        assertEquals("weights-tools: inspect failed: " + dir.resolve("nope.pth") + "\n", missing.err());

        Path nan = dir.resolve("nan.safetensors");
        SafetensorsWriter.write(new WeightSet().add(new NamedTensor("bad", new int[] {2}, new float[] {1, Float.NaN})),
                nan);
        Result r = run("convert", nan.toString(), dir.resolve("out.safetensors").toString());
        assertEquals(1, r.status());
        assertEquals("weights-tools: convert failed: tensor 'bad' (2): value NaN at flat index 1 [1] is not finite\n",
                r.err());
        assertTrue(Files.notExists(dir.resolve("out.safetensors")));

        Path garbage = Files.writeString(dir.resolve("x.bin"), "garbage!!");
        Result g = run("inspect", garbage.toString());
        assertEquals(1, g.status());
        assertTrue(g.err().contains("unknown weight file format"), g.err());
    }
}
