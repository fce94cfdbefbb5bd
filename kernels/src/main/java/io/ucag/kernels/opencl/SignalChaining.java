package io.ucag.kernels.opencl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * The JVM's signal handlers and PoCL. PoCL compiles kernels with LLVM inside this process, and LLVM puts its own
 * one-shot handlers ({@code SA_RESETHAND}) over the JVM's for SIGSEGV, SIGBUS, SIGILL, SIGUSR2 and more
 * ({@code java -Xcheck:jni} lists them after a kernel build that missed PoCL's cache). The JVM raises SIGSEGV on
 * purpose -- every thread touches a protected polling page at a safepoint -- so when two threads fault together, the
 * second can find the default action already back and the process dies with "Segmentation fault" and no hs_err file
 * (seen in CI, where the kernel cache starts cold). The JDK's remedy is signal chaining: {@code libjsig.so}, preloaded
 * with {@code LD_PRELOAD}, keeps the JVM's handlers installed and calls a library's from them. The test JVMs get it
 * from the build (the surefire configuration) and {@code ucag.jar} relaunches itself with it.
 */
public final class SignalChaining {
    private static final System.Logger LOG = System.getLogger(SignalChaining.class.getName());
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private SignalChaining() {
    }

    /** True when libjsig is mapped into this process (Linux: read from /proc/self/maps); false elsewhere. */
    public static boolean active() {
        Path maps = Path.of("/proc/self/maps");
        if (!Files.isReadable(maps)) {
            return false;
        }
        try (Stream<String> lines = Files.lines(maps)) {
            return mentionsLibjsig(lines);
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    /** True when one of a process's memory-map lines names libjsig.so. */
    static boolean mentionsLibjsig(Stream<String> mapsLines) {
        return mapsLines.anyMatch(line -> line.endsWith("/libjsig.so"));
    }

    /** This JDK's {@code lib/libjsig.so}, where it has one (Linux JDKs do; macOS has a .dylib, Windows none). */
    public static Optional<Path> library() {
        Path lib = Path.of(System.getProperty("java.home"), "lib", "libjsig.so");
        return Files.isRegularFile(lib) ? Optional.of(lib) : Optional.empty();
    }

    /** Logs once per JVM, when this JDK has libjsig but it is not preloaded, how to start java with it. */
    static void warnIfInactive() {
        Optional<Path> lib = library();
        if (lib.isPresent() && !active() && WARNED.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, "LLVM, which PoCL uses to compile kernels, replaces the signal"
                    + " handlers of the JVM, which can crash it; start java with LD_PRELOAD={0} (ucag.jar does this"
                    + " itself)",
                    lib.get());
        }
    }
}
