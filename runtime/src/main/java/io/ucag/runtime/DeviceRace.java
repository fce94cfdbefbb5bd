package io.ucag.runtime;

import io.ucag.runtime.ops.Conv2dParams;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Random;

/**
 * Which of several devices runs CNN work fastest on this machine, measured once and remembered: each device times
 * the same two convolutions of a ResNet-50 bottleneck (3x3 64->64 and 1x1 256->64 at 56x56, batch 4; about
 * 1.9 GFLOP), median of three runs after a warm-up, and the GFLOP/s are cached in a properties file keyed by the
 * devices' names and the JVM (a Java backend with the Vector API is another contender than one without). Delete
 * the file to measure again.
 */
public final class DeviceRace {
    /** Bump when the workload changes, so that old measurements are not compared with new ones. */
    private static final String WORKLOAD = "conv-3x3-64-1x1-256-b4-v1";
    private static final System.Logger LOG = System.getLogger(DeviceRace.class.getName());

    private final Path cacheFile;

    /** Remembers measurements in {@code cacheFile} (created with its folders when first written). */
    public DeviceRace(Path cacheFile) {
        this.cacheFile = cacheFile;
    }

    /** The cache file in {@code $UCAG_CACHE} or {@code ~/.cache/ucag}, as the weights cache. */
    public static Path defaultCacheFile() {
        String env = System.getenv("UCAG_CACHE");
        Path dir = env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache",
                "ucag");
        return dir.resolve("device-speed.properties");
    }

    /** The index in {@code devices} of the fastest one (cached GFLOP/s where known, measured otherwise). */
    public int fastest(List<Device> devices) {
        Properties cache = load();
        double[] gflops = new double[devices.size()];
        boolean measured = false;
        for (int i = 0; i < devices.size(); i++) {
            String key = key(devices.get(i));
            String known = cache.getProperty(key);
            if (known != null) {
                gflops[i] = Double.parseDouble(known);
            } else {
                gflops[i] = measure(devices.get(i));
                cache.setProperty(key, String.format(Locale.ROOT, "%.2f", gflops[i]));
                measured = true;
            }
            LOG.log(System.Logger.Level.INFO, "device {0}: {1} GFLOP/s on convolutions{2}", devices.get(i).name(),
                    String.format(Locale.ROOT, "%.1f", gflops[i]), known != null ? " (measured before, " + cacheFile
                            + ")" : "");
        }
        if (measured) {
            store(cache);
        }
        int best = 0;
        for (int i = 1; i < gflops.length; i++) {
            best = gflops[i] > gflops[best] ? i : best;
        }
        return best;
    }

    private static String key(Device d) {
        boolean vector = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        return (WORKLOAD + "|" + d.name() + "|java " + Runtime.version().feature() + (vector ? "+vector" : ""))
                .replaceAll("[^A-Za-z0-9+|().,_-]", "_");
    }

    /** GFLOP/s of the workload on {@code d}: median of three timed runs after one warm-up. */
    static double measure(Device d) {
        Random rng = new Random(1);
        try (TensorScope scope = TensorScope.open()) {
            Tensor x3 = d.fromArray(Shape.of(4, 64, 56, 56), random(rng, 4 * 64 * 56 * 56));
            Tensor w3 = d.fromArray(Shape.of(64, 64, 3, 3), random(rng, 64 * 64 * 9));
            Tensor x1 = d.fromArray(Shape.of(4, 256, 56, 56), random(rng, 4 * 256 * 56 * 56));
            Tensor w1 = d.fromArray(Shape.of(64, 256, 1, 1), random(rng, 64 * 256));
            double flops = 2.0 * 4 * 64 * 56 * 56 * (64 * 9 + 256);
            double[] seconds = new double[3];
            for (int run = -1; run < seconds.length; run++) {
                d.synchronize();
                long t0 = System.nanoTime();
                try (Tensor a = d.conv2d(x3, w3, null, Conv2dParams.of(1, 1));
                     Tensor b = d.conv2d(x1, w1, null, Conv2dParams.of(1, 0))) {
                    d.synchronize();
                }
                if (run >= 0) {
                    seconds[run] = (System.nanoTime() - t0) / 1e9;
                }
            }
            Arrays.sort(seconds);
            return flops / seconds[1] / 1e9;
        }
    }

    private static float[] random(Random rng, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = rng.nextFloat() - 0.5f;
        }
        return v;
    }

    private Properties load() {
        Properties p = new Properties();
        if (Files.isRegularFile(cacheFile)) {
            try (InputStream in = Files.newInputStream(cacheFile)) {
                p.load(in);
            } catch (IOException | IllegalArgumentException e) {
                LOG.log(System.Logger.Level.WARNING, "ignoring unreadable {0}: {1}", cacheFile, e.getMessage());
                return new Properties();
            }
        }
        p.entrySet().removeIf(e -> !isNumber(String.valueOf(e.getValue())));
        return p;
    }

    private static boolean isNumber(String s) {
        try {
            return Double.parseDouble(s) > 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Written to a temporary file and moved into place, so a concurrent reader never sees half a file. */
    private void store(Properties p) {
        try {
            Files.createDirectories(cacheFile.toAbsolutePath().getParent());
            Path tmp = Files.createTempFile(cacheFile.toAbsolutePath().getParent(), "device-speed", ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                p.store(out, "GFLOP/s per device, measured by io.ucag.runtime.DeviceRace; delete to measure again");
            }
            Files.move(tmp, cacheFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not cache device speeds in {0}: {1}", cacheFile,
                    e.getMessage());
        }
    }
}
