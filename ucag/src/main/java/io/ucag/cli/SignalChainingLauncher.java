package io.ucag.cli;

import io.ucag.kernels.opencl.SignalChaining;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code ucag.jar} with signal chaining (see {@link SignalChaining}): where this JDK has libjsig and it is not
 * preloaded, {@link #relaunch()} starts the same command line again with {@code LD_PRELOAD} naming it, passes the
 * console through and returns the child's exit status. The child ends itself if this process dies (a SIGKILL
 * leaves no one to stop it otherwise); a SIGTERM or Ctrl-C here stops the child first. {@code UCAG_RELAUNCH=0}
 * turns the relaunch off. The child also gets {@value #HUGE_PAGES} in {@code GLIBC_TUNABLES} unless that is set:
 * glibc then asks for transparent huge pages for the large blocks it maps, PoCL's tensor buffers among them (where
 * the kernel's THP mode is madvise, as on this project's CI machines, they get none otherwise). Measured on the CI
 * machine, alternating: UCAG-GradCAM 0.7-1.3% faster in four pairs of runs out of four; LRP + UCAG faster in three
 * of four pairs, within the machine's noise.
 */
final class SignalChainingLauncher {
    /** Set in the child: it must not relaunch again, and it watches its parent. */
    static final String CHILD_MARKER = "UCAG_RELAUNCHED";
    static final String SWITCH = "UCAG_RELAUNCH";
    /** glibc's tunable for transparent huge pages under malloc (glibc 2.35 and later; older ones ignore it). */
    static final String HUGE_PAGES = "glibc.malloc.hugetlb=1";

    private SignalChainingLauncher() {
    }

    /** The child's exit status, or empty when this process should run the command itself. */
    static OptionalInt relaunch() {
        Map<String, String> env = System.getenv();
        if (env.containsKey(CHILD_MARKER)) {
            endWithParent();
            return OptionalInt.empty();
        }
        Optional<Path> lib = SignalChaining.library();
        Optional<List<String>> command = ownCommandLine();
        if ("0".equals(env.get(SWITCH)) || lib.isEmpty() || command.isEmpty() || SignalChaining.active()) {
            return OptionalInt.empty();
        }
        ProcessBuilder builder = new ProcessBuilder(command.get()).inheritIO();
        String preload = env.get("LD_PRELOAD");
        builder.environment().put("LD_PRELOAD", lib.get() + (preload == null || preload.isBlank() ? "" : ":" + preload));
        builder.environment().put(CHILD_MARKER, "1");
        builder.environment().putIfAbsent("GLIBC_TUNABLES", HUGE_PAGES);
        Process child;
        try {
            child = builder.start();
        } catch (IOException e) {
            return OptionalInt.empty(); // run in this JVM; ClDevice warns about the missing chaining
        }
        Thread stopChild = new Thread(() -> stop(child), "ucag-stop-child");
        Runtime.getRuntime().addShutdownHook(stopChild);
        int status = waitFor(child);
        Runtime.getRuntime().removeShutdownHook(stopChild);
        return OptionalInt.of(status);
    }

    /** This JVM's executable and arguments as the kernel recorded them (/proc/self/cmdline on Linux). */
    private static Optional<List<String>> ownCommandLine() {
        ProcessHandle.Info info = ProcessHandle.current().info();
        if (info.command().isEmpty() || info.arguments().isEmpty()) {
            return Optional.empty();
        }
        List<String> command = new ArrayList<>();
        command.add(info.command().get());
        command.addAll(List.of(info.arguments().get()));
        return Optional.of(command);
    }

    private static int waitFor(Process child) {
        while (true) {
            try {
                return child.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop(child);
            }
        }
    }

    private static void stop(Process child) {
        if (!child.isAlive()) {
            return;
        }
        child.destroy();
        try {
            if (!child.waitFor(10, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        } catch (InterruptedException e) {
            child.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** In the child: halt, as a killed process would, when the launching process is gone. */
    private static void endWithParent() {
        ProcessHandle.current().parent().ifPresent(parent ->
                parent.onExit().thenRun(() -> Runtime.getRuntime().halt(137)));
    }
}
