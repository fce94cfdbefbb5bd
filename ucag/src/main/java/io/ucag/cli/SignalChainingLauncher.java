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
 * turns the relaunch off.
 */
final class SignalChainingLauncher {
    /** Set in the child: it must not relaunch again, and it watches its parent. */
    static final String CHILD_MARKER = "UCAG_RELAUNCHED";
    static final String SWITCH = "UCAG_RELAUNCH";

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
