package io.ucag.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class MainTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void noArgumentsPrintsUsageAndFails() {
        assertEquals(2, run());
        assertTrue(err.toString().contains("selfcheck"), err.toString());
    }

    @Test
    void unknownCommandsAndOptionsAreUsageErrors() {
        assertEquals(2, run("frobnicate"));
        assertTrue(err.toString().contains("frobnicate"), err.toString());
        assertEquals(2, run("selfcheck", "--bogus"));
        assertTrue(err.toString().contains("--bogus"), err.toString());
    }

    @Test
    void helpSucceeds() {
        assertEquals(0, run("--help"));
        assertTrue(out.toString().contains("selfcheck"), out.toString());
    }

    @Test
    void anUnknownDeviceIsOneLineWithTheChoices() {
        assertEquals(1, run("selfcheck", "--device", "tpu"));
        assertTrue(err.toString().startsWith("ucag selfcheck: unknown device 'tpu'"), err.toString());
        assertTrue(err.toString().contains("auto, opencl or java"), err.toString());
    }

    /** Both devices compute the same convolution: within 1e-4 of its largest output (measured: 4e-7). */
    @Test
    void selfcheckFindsTheDevicesAgree() {
        assertEquals(0, run("selfcheck", "--device", "all"), () -> out + "\n" + err);
        boolean noOpenCl = out.toString().contains("opencl  unavailable") && !"true".equals(System.getenv("CI"));
        assertTrue(out.toString().contains("of the largest output (ok)") || noOpenCl, out::toString);
    }
}
