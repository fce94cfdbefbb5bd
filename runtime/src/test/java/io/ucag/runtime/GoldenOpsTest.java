package io.ucag.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.runtime.golden.GoldenCase;
import io.ucag.runtime.golden.GoldenCases;
import io.ucag.runtime.java.JavaDevice;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every forward op of the Java backend against PyTorch: one dynamic test per case of
 * golden/ops/manifest.json (runtime/src/test/fixtures/make_op_goldens.py). A missing manifest fails.
 */
class GoldenOpsTest {
    private static JavaDevice device;

    @BeforeAll
    static void open() {
        device = new JavaDevice();
    }

    @AfterAll
    static void close() {
        device.close();
    }

    @TestFactory
    Stream<DynamicTest> javaDeviceMatchesPyTorch() {
        Device d = device; // only the Device interface
        return GoldenCases.load().stream()
                .map(c -> DynamicTest.dynamicTest(c.op() + ": " + c.name(), () -> GoldenCases.check(d, c)));
    }

    /** The manifest covers every op of Device, each with several cases, and names cases uniquely. */
    @Test
    void manifestCoversEveryOp() {
        List<GoldenCase> cases = GoldenCases.load();
        Set<String> names = new HashSet<>();
        for (GoldenCase c : cases) {
            assertTrue(names.add(c.name()), "duplicate case " + c.name());
        }
        Set<String> ops = Set.of("conv2d", "linear", "maxPool2d", "avgPool2d", "adaptiveAvgPool2d", "batchNorm",
                "relu", "add", "mul", "div", "abs", "sign", "scale", "exp", "clamp", "softmax", "reduce", "concat", "crop", "pad", "resize",
                "gaussianBlur");
        for (String op : ops) {
            long n = cases.stream().filter(c -> c.op().equals(op)).count();
            assertTrue(n >= 2, op + " has " + n + " golden cases");
        }
        assertEquals(ops, cases.stream().map(GoldenCase::op).collect(java.util.stream.Collectors.toSet()));
    }

    /** The comparison itself can fail: it is the only thing standing between a wrong op and a green build. */
    @Test
    void mismatchDetectsErrorsAndAcceptsTolerance() {
        float[] expected = {1f, -2f, 0f, Float.NaN, Float.POSITIVE_INFINITY};
        assertNull(GoldenCases.mismatch(expected, new float[] {1.00005f, -2f, 5e-6f, Float.NaN,
                Float.POSITIVE_INFINITY}, 1e-4, 1e-5));
        String m = GoldenCases.mismatch(expected, new float[] {1f, -2.001f, 0f, Float.NaN, Float.POSITIVE_INFINITY},
                1e-4, 1e-5);
        assertNotNull(m);
        assertTrue(m.contains("1 of 5") && m.contains("flat index 1"), m);
        assertNotNull(GoldenCases.mismatch(expected, new float[] {1f, -2f, 0f, 0f, Float.POSITIVE_INFINITY}, 1, 1));
        assertNotNull(GoldenCases.mismatch(expected, new float[] {1f, -2f, 0f, Float.NaN, Float.MAX_VALUE}, 1, 1));
        assertNotNull(GoldenCases.mismatch(expected, new float[] {1f}, 1, 1));
    }
}
