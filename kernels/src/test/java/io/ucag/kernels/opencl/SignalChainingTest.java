package io.ucag.kernels.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.kernels.OpenClTestSupport;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SignalChainingTest {
    private static final String JSIG =
            "7f3a2c000000-7f3a2c001000 r-xp 00001000 fd:01 123 /usr/lib/jvm/java-17-openjdk-amd64/lib/libjsig.so";
    private static final String JVM =
            "7f3a2d000000-7f3a2e000000 r-xp 00000000 fd:01 124 /usr/lib/jvm/java-17-openjdk-amd64/lib/server/libjvm.so";

    @Test
    void findsLibjsigAmongTheMappedFiles() {
        assertTrue(SignalChaining.mentionsLibjsig(Stream.of(JVM, JSIG)));
        assertFalse(SignalChaining.mentionsLibjsig(Stream.of(JVM)));
        assertFalse(SignalChaining.mentionsLibjsig(Stream.of(JSIG + ".old")));
    }

    /** The build preloads libjsig into every test JVM (the parent pom's surefire environment); this one has it. */
    @Test
    void theTestJvmRunsWithSignalChaining() {
        if (SignalChaining.library().isPresent()) {
            assertTrue(SignalChaining.active(), "LD_PRELOAD=" + System.getenv("LD_PRELOAD"));
        } else {
            assertFalse(SignalChaining.active());
        }
    }

    /**
     * Kernel builds that miss PoCL's cache (a define no build used before) while three threads allocate and ask for
     * stack traces, so the JVM keeps stopping at safepoints. With the build's LD_PRELOAD removed this failed 2 runs
     * of 2 within seconds: LLVM's handler took a safepoint's SIGSEGV and deleted the build's temporary files
     * ("unable to rename temporary ... No such file or directory"); a JVM can also die of it. With libjsig: 3 of 3
     * passed (as did 4 of 4 standalone runs of 60 builds, against 4 failures of 4 without).
     */
    @Test
    void kernelBuildsSurviveSafepoints() throws InterruptedException {
        ClDevice device = OpenClTestSupport.device();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread[] allocators = new Thread[3];
        for (int t = 0; t < allocators.length; t++) {
            allocators[t] = new Thread(() -> {
                for (long n = 0; running.get(); n++) {
                    sink = new byte[1 << 16];
                    if (n % 64 == 0) {
                        Thread.getAllStackTraces(); // a safepoint, besides the collections
                    }
                }
            });
            allocators[t].start();
        }
        ClKernel last = null;
        try {
            long run = System.nanoTime();
            for (int i = 0; i < BUILDS; i++) {
                last = device.kernel("elementwise.cl", "elementwise_relu", "-DUNCACHED_" + run + "_" + i + "=1");
            }
        } finally {
            running.set(false);
            for (Thread t : allocators) {
                t.join();
            }
        }
        // and the last program built computes what it should
        try (Tensor x = device.fromArray(Shape.of(4), new float[] {-1f, 2f, -3f, 4f});
             Tensor y = device.allocate(Shape.of(4))) {
            last.launch(new long[] {4}, null, x, y, 4);
            assertArrayEquals(new float[] {0f, 2f, 0f, 4f}, y.toArray());
        }
    }

    private static final int BUILDS = 20;
    private static volatile Object sink;
}
