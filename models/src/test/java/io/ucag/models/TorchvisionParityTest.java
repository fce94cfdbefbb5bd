package io.ucag.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.ucag.runtime.Device;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.io.NpyArray;
import io.ucag.weights.DType;
import io.ucag.weights.NamedTensor;
import io.ucag.weights.WeightFiles;
import io.ucag.weights.WeightSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * torchvision parity: state_dicts of seeded random torchvision networks, saved by {@code torch.save} (fixtures of
 * {@code make_torchvision_parity.py}), imported with {@link WeightFiles} and run by {@link Model} give torch's
 * logits. The committed fixtures are reduced-width vgg16, vgg16_bn (both stored as float16) and resnet50 and always
 * run, on the Java device and on OpenCL; the full-size vgg16 and resnet50 are generated into a temporary folder
 * when {@code /usr/bin/python3} has torchvision, and skipped otherwise (also under CI=true: CI need not have
 * torch). OpenCL tests skip without a device, except under CI=true where that fails.
 */
class TorchvisionParityTest {
    /**
     * Tolerance: |java - torch| <= RTOL |torch| + ATOL_OF_MAX max|torch| per logit, i.e. within 1e-4 relative of
     * the logit vector's scale. The references are float64 results; a logit is a long sum of products of both
     * signs through 16 to 50 layers, so float32 rounding error follows the size of the activations (the largest
     * logits), not the size of a logit that happens to be small: float32 torch itself is off by up to 1e-5 of
     * max|logit| on resnet50, which an elementwise 1e-4 would not allow for logits below 0.1 max|logit|. Measured
     * share of this tolerance used: float32 torch 0.11 (reduced resnet50) and 0.12 (full); the Java device and
     * OpenCL 0.09 and 0.16; the VGGs 0.02 or less (the fixture script checks torch's share stays below 0.5).
     */
    private static final double RTOL = 1e-4;
    private static final double ATOL_OF_MAX = 1e-4;
    private static final String PYTHON = "/usr/bin/python3";
    private static final Path SCRIPT = Path.of("src/test/fixtures/make_torchvision_parity.py");

    @TempDir
    static Path fullSizeDir;
    private static TorchvisionFixtures fullSize;
    private static String fullSizeMissing;
    private static String fullSizeFailure;

    @ParameterizedTest(name = "{1} on {0}")
    @CsvSource({"java, vgg16-w32-f16", "java, vgg16_bn-w32-f16", "java, resnet50-w32",
        "opencl, vgg16-w32-f16", "opencl, vgg16_bn-w32-f16", "opencl, resnet50-w32"})
    void reducedWidthNetsGiveTorchsLogits(String deviceKind, String name) throws IOException {
        TorchvisionFixtures fixtures = TorchvisionFixtures.committed();
        assertLogitsMatch(fixtures.net(name), fixtures.input(), TestDevices.device(deviceKind));
    }

    /** The reader sees the storage type torch wrote: HalfStorage for the -f16 files, FloatStorage otherwise. */
    @ParameterizedTest
    @CsvSource({"vgg16-w32-f16, F16", "vgg16_bn-w32-f16, F16", "resnet50-w32, F32"})
    void fixturesAreTorchZipFilesWithTheirStorageType(String name, DType stored) throws IOException {
        TorchvisionFixtures.Net net = TorchvisionFixtures.committed().net(name);
        assertEquals(WeightFiles.Format.TORCH, WeightFiles.detect(net.stateDict()));
        assertEquals("PK", new String(Files.readAllBytes(net.stateDict()), 0, 2, StandardCharsets.ISO_8859_1),
                "torch.save's zip format");
        WeightSet set = WeightFiles.read(net.stateDict());
        NamedTensor first = set.get(name.startsWith("vgg") ? "features.0.weight" : "conv1.weight");
        assertEquals(stored, first.storedAs());
    }

    /** Narrow weights into the full-width architecture: one error naming the tensor and both shapes. */
    @Test
    void narrowWeightsDoNotLoadIntoTheFullArchitecture() throws IOException {
        TorchvisionFixtures.Net net = TorchvisionFixtures.committed().net("resnet50-w32");
        Parameters weights = Parameters.of(WeightFiles.read(net.stateDict()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Model.load(ModelZoo.spec("resnet50", 10), weights, TestDevices.device("java")));
        assertTrue(e.getMessage().matches("resnet50: tensor 'conv1\\.weight': expected shape \\(64,3,7,7\\), found"
                + " [(\\[]2, ?3, ?7, ?7[)\\]]"), e.getMessage());
        assertEquals("resnet50/32", net.spec().architecture());
    }

    /**
     * Full-size vgg16 and resnet50 (1000 classes, a (2,3,224,224) batch): the script writes about 650 MB of .pth
     * into a temporary folder once for both devices (about 30 s on two cores).
     */
    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"java", "opencl"})
    void fullSizeVgg16AndResnet50GiveTorchsLogits(String deviceKind) throws Exception {
        TorchvisionFixtures full = fullSize();
        assertEquals(List.of("vgg16", "resnet50"), full.nets().stream().map(n -> n.architecture()).toList());
        Device device = TestDevices.device(deviceKind);
        for (TorchvisionFixtures.Net net : full.nets()) {
            assertEquals(1000, net.classes());
            assertLogitsMatch(net, full.input(), device);
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static void assertLogitsMatch(TorchvisionFixtures.Net net, NpyArray input, Device device)
            throws IOException {
        Parameters weights = Parameters.of(WeightFiles.read(net.stateDict()));
        try (Model model = Model.load(net.spec(), weights, device); TensorScope scope = TensorScope.open()) {
            Tensor logits = model.forward(input.toTensor(device));
            assertClose(net.name() + " on " + device.name(), net.logits(), logits.toArray());
        }
    }

    /** |actual - expected| <= RTOL |expected| + ATOL_OF_MAX max|expected|, reporting the worst logit. */
    private static void assertClose(String what, NpyArray expected, float[] actual) {
        assertTrue(GoldenAssert.maxAbs(expected.data()) > 0, what + ": the reference logits are all zero");
        GoldenAssert.assertClose(what, "logit", expected, actual, RTOL, ATOL_OF_MAX);
    }

    /** The full-size fixtures, written on first use; skips the test when torchvision is not installed. */
    private static synchronized TorchvisionFixtures fullSize() throws IOException, InterruptedException {
        if (fullSizeFailure != null) {
            fail(fullSizeFailure);
        }
        if (fullSize == null && fullSizeMissing == null) {
            fullSizeMissing = torchvisionMissing();
            if (fullSizeMissing == null) {
                fullSizeFailure = runScript(fullSizeDir);
                if (fullSizeFailure != null) {
                    fail(fullSizeFailure);
                }
                fullSize = TorchvisionFixtures.read(fullSizeDir);
            }
        }
        Assumptions.assumeTrue(fullSizeMissing == null, () -> "full-size torchvision parity skipped: "
                + fullSizeMissing);
        return fullSize;
    }

    /** Null when {@code python3 -c "import torchvision"} works, else why not. */
    private static String torchvisionMissing() throws InterruptedException {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            return "no " + PYTHON;
        }
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import torchvision").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return PYTHON + " -c 'import torchvision' took over 2 minutes";
            }
            return p.exitValue() == 0 ? null : PYTHON + " cannot import torchvision";
        } catch (IOException e) {
            return "cannot run " + PYTHON + ": " + e.getMessage();
        }
    }

    /** Runs the fixture script with {@code --full dir}; null when it worked, else why not, with its output. */
    private static String runScript(Path dir) throws IOException, InterruptedException {
        Path log = dir.resolve("script.log");
        Process p = new ProcessBuilder(PYTHON, SCRIPT.toString(), "--full", dir.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        boolean finished = p.waitFor(10, TimeUnit.MINUTES);
        if (!finished) {
            p.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8).strip();
        if (!finished || p.exitValue() != 0) {
            return SCRIPT + " --full " + (finished ? "failed with status " + p.exitValue() : "ran over 10 minutes")
                    + ":\n" + output;
        }
        return null;
    }
}
