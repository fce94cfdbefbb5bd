package io.ucag.weights.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.weights.Architectures;
import io.ucag.weights.NamedTensor;
import io.ucag.weights.WeightSet;
import io.ucag.weights.fetch.Hashes;
import io.ucag.weights.safetensors.SafetensorsReader;
import io.ucag.weights.safetensors.SafetensorsWriter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code convert IN OUT.safetensors --arch NAME}: checks the tensors against NAME and records it. */
class ConvertArchitectureTest {
    @TempDir
    static Path dir;
    private static Path resnet18;

    private record Result(int status, String out, String err) {
    }

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = WeightsTool.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A resnet18 state_dict of zeros (47 MB) as safetensors. */
    @BeforeAll
    static void writeResnet18() throws Exception {
        WeightSet set = new WeightSet();
        Architectures.layouts().stream().filter(l -> l.architecture().equals("resnet18")).findFirst().orElseThrow()
                .shapes().forEach((name, shape) -> set.add(new NamedTensor(name, shape,
                        new float[(int) NamedTensor.numel(shape)])));
        resnet18 = dir.resolve("resnet18.safetensors");
        SafetensorsWriter.write(set, resnet18);
    }

    @Test
    void recordsTheCheckedArchitectureItsPreprocessingAndTheSourceHash() throws Exception {
        Path out = dir.resolve("checked.safetensors");
        Result r = run("convert", "--arch", "resnet18", resnet18.toString(), out.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals("wrote " + out + ": 102 tensors, 11699112 parameters, checked as resnet18\n", r.out());
        WeightSet converted = SafetensorsReader.read(out);
        assertEquals("resnet18", converted.metadata().get("architecture"));
        assertEquals("torchvision-rgb-mean-std", converted.metadata().get("preprocessing"));
        assertEquals("safetensors:resnet18.safetensors", converted.metadata().get("converted_from"));
        assertEquals(Hashes.sha256(resnet18), converted.metadata().get("converted_from_sha256"));
    }

    @Test
    void anotherArchitectureFailsWithOneLineAndWritesNothing() {
        Path out = dir.resolve("wrong.safetensors");
        Result r = run("convert", resnet18.toString(), out.toString(), "--arch", "vgg11");
        assertEquals(1, r.status());
        assertEquals("weights-tools: convert failed: vgg11: the weights lack 22 tensor(s), e.g. 'classifier.0.bias'"
                + " (4096): are they for another architecture?\n", r.err());
        assertTrue(Files.notExists(out));
    }

    @Test
    void badArchArgumentsAreUsageErrors() {
        Path out = dir.resolve("never.safetensors");
        Result unknown = run("convert", resnet18.toString(), out.toString(), "--arch", "alexnet");
        assertEquals(2, unknown.status());
        assertTrue(unknown.err().startsWith("weights-tools: convert: unknown architecture 'alexnet'; known: "
                + "resnet50-keras, resnet18, "), unknown.err());
        assertEquals(2, run("convert", resnet18.toString(), out.toString(), "--arch").status());
        assertEquals(2, run("convert", resnet18.toString(), out.toString(), "--arch", "vgg11", "--arch", "vgg13")
                .status());
        assertEquals(2, run("convert", resnet18.toString(), "--arch", "resnet18").status());
        assertTrue(Files.notExists(out));
    }
}
