package io.ucag.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's peak resident memory (Linux {@code VmHWM}); the JVM's committed heap where /proc is absent. */
final class PeakMemory {
    private PeakMemory() {
    }

    static long residentMegabytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) { // "VmHWM:   123456 kB"
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: fall through
        }
        return Runtime.getRuntime().totalMemory() >> 20;
    }
}
