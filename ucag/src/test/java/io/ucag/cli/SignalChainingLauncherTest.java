package io.ucag.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.kernels.opencl.SignalChaining;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code ucag.jar}'s main, started as java is started by hand (no LD_PRELOAD), runs the command with libjsig
 * preloaded and glibc's huge pages asked for -- unless {@code UCAG_RELAUNCH=0} -- and exits with the command's status.
 */
class SignalChainingLauncherTest {
    @ParameterizedTest
    @CsvSource({"1, on (libjsig preloaded), asked for (glibc.malloc.hugetlb=1)", "0, off (PoCL, not asked for"})
    void mainRelaunchesItselfWithLibjsigAndHugePages(String relaunch, String chaining, String hugePages)
            throws Exception {
        Assumptions.assumeTrue(SignalChaining.library().isPresent(), "this JDK has no lib/libjsig.so");
        Process p = start(relaunch, "selfcheck", "--device", "java");
        String output = finish(p);
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("signal chaining: " + chaining), output);
        assertTrue(output.contains("malloc huge pages: " + hugePages), output);
    }

    @ParameterizedTest
    @CsvSource({"1", "0"})
    void theChildsExitStatusIsTheLaunchersStatus(String relaunch) throws Exception {
        Process p = start(relaunch, "selfcheck", "--no-such-flag");
        String output = finish(p);
        assertEquals(2, p.exitValue(), output);
    }

    private static Process start(String relaunch, String... args) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("LD_PRELOAD");
        builder.environment().remove("GLIBC_TUNABLES");
        builder.environment().remove(SignalChainingLauncher.CHILD_MARKER);
        builder.environment().put(SignalChainingLauncher.SWITCH, relaunch);
        return builder.start();
    }

    private static String finish(Process p) throws Exception {
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "ucag did not finish in a minute:\n" + output);
        return output;
    }
}
