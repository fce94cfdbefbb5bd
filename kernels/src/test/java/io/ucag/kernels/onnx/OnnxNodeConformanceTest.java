package io.ucag.kernels.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.ucag.kernels.OpenClTestSupport;
import io.ucag.runtime.Device;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.java.JavaDevice;
import io.ucag.weights.onnx.OnnxTensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Conformance of both devices with ONNX's own backend node tests (Debian package {@code libonnx-testdata},
 * ONNX 1.12): every test whose graph is one node of an operator in {@link OnnxOps} runs on the Java and the
 * OpenCL device and must match ONNX's expected outputs within ONNX's usual tolerance (rtol 1e-3, atol 1e-7).
 * A case the runtime cannot express is skipped with the precise reason ({@link UnsupportedCase}); the summary
 * line per device, {@code onnx-node [device]: P passed, S skipped (by reason), F failed}, goes to stdout.
 *
 * <p>The data folder is {@value #DEFAULT_DATA} or the system property {@code ucag.onnx.nodeTests}. Without it
 * the test is skipped, except under {@code CI=true}, where that fails, as does a device passing fewer than
 * {@value #MIN_PASSED_ON_CI} cases.
 */
class OnnxNodeConformanceTest {
    static final String DEFAULT_DATA = "/usr/share/libonnx-testdata/data/node";
    static final int MIN_PASSED_ON_CI = 80;
    private static final double RTOL = 1e-3;
    private static final double ATOL = 1e-7;
    private static final boolean CI = "true".equalsIgnoreCase(System.getenv("CI"));
    private static final String[] DEVICES = {"java", "opencl"};

    private static final JavaDevice JAVA = new JavaDevice(2);
    private static final Map<String, Tally> TALLIES = new TreeMap<>();
    private static final int[] OTHER_TESTS = new int[1];
    private static final Path ROOT = Path.of(System.getProperty("ucag.onnx.nodeTests", DEFAULT_DATA));

    /** Per device: passed and failed counts, skipped cases by category. */
    private static final class Tally {
        int passed;
        int failed;
        final Map<String, List<String>> skipped = new TreeMap<>();

        void skip(String category, String caseName) {
            skipped.computeIfAbsent(category, k -> new ArrayList<>()).add(caseName);
        }

        @Override
        public String toString() {
            int skips = skipped.values().stream().mapToInt(List::size).sum();
            List<String> reasons = new ArrayList<>();
            skipped.forEach((reason, cases) -> reasons.add(reason + " " + cases.size()));
            return passed + " passed, " + skips + " skipped (" + String.join(", ", reasons) + "), " + failed
                    + " failed";
        }
    }

    static Stream<Arguments> cases() {
        if (!Files.isDirectory(ROOT)) {
            return Stream.of(Arguments.of("none", null)); // reported by the test: a skip, or a failure on CI
        }
        List<Arguments> arguments = new ArrayList<>();
        for (OnnxNodeCase c : OnnxNodeCase.discover(ROOT, OnnxOps.opTypes(), OTHER_TESTS)) {
            for (String device : DEVICES) {
                arguments.add(Arguments.of(device, c));
            }
        }
        return arguments.stream();
    }

    @ParameterizedTest(name = "{1} [{0}]")
    @MethodSource("cases")
    void matchesOnnx(String deviceName, OnnxNodeCase c) {
        if (c == null) {
            String message = "no ONNX node tests at " + ROOT + ": apt-get install -y libonnx-testdata";
            if (CI) {
                fail(message);
            }
            Assumptions.abort(message);
        }
        Device device = deviceName.equals("java") ? JAVA : OpenClTestSupport.device();
        Tally tally = TALLIES.computeIfAbsent(deviceName, k -> new Tally());
        try (TensorScope scope = TensorScope.open()) {
            for (OnnxNodeCase.DataSet set : c.dataSets()) {
                OnnxTensor expected = set.expected().get(0);
                NodeContext.requireFloat(expected, "output");
                Tensor actual = OnnxOps.run(new NodeContext(device, c.node(), c.opset(), set.inputs()));
                String what = c.name() + "/" + set.name() + " on " + device.name();
                int[] expectedDims = expected.dims().length == 0 ? new int[] {1} : expected.intDims();
                assertArrayEquals(expectedDims, actual.shape().dims(), what + ": output shape");
                OpenClTestSupport.assertClose(what, expected.floats(), actual.toArray(), RTOL, ATOL);
            }
            tally.passed++;
        } catch (UnsupportedCase e) {
            tally.skip(e.category(), c.name());
            Assumptions.abort(c.name() + ": " + e.getMessage());
        } catch (UnsupportedOperationException e) {
            tally.skip("not yet implemented", c.name()); // a device op that is still a stub on this branch
            Assumptions.abort(c.name() + ": not yet implemented: " + e.getMessage());
        } catch (RuntimeException | AssertionError e) {
            tally.failed++;
            throw e;
        }
    }

    @AfterAll
    static void summarise() {
        TALLIES.forEach((device, tally) -> {
            System.out.println("onnx-node [" + device + "]: " + tally + "; " + OTHER_TESTS[0]
                    + " tests of other operators or multi-node graphs not run");
            tally.skipped.forEach((reason, cases) -> System.out.println("  skipped [" + device + "] " + reason
                    + ": " + String.join(", ", cases)));
        });
        JAVA.close();
        if (CI) {
            for (String device : DEVICES) {
                Tally t = TALLIES.get(device);
                assertTrue(t != null && t.passed >= MIN_PASSED_ON_CI, "onnx-node [" + device + "]: "
                        + (t == null ? "nothing ran" : t) + ", fewer than " + MIN_PASSED_ON_CI + " passed");
            }
        }
    }
}
