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
 * the same three ResNet-50 convolutions (3x3 64->64 and 1x1 256->64 at 56x56, 3x3 256->256 at 14x14; batch 8,
 * about 5.4 GFLOP), median of three runs after a warm-up. The GFLOP/s of all contenders, measured in one sitting,
 * are cached in a properties file under a key made of their names (the Java device's name says which GEMM kernel
 * it uses: with the Vector API it is another contender) and the JVM's version. Delete the file to measure again.
 */
public final class DeviceRace {
    /** Bump when the workload changes, so that old measurements are not compared with new ones. */
    private static final String WORKLOAD = "resnet50-convs-b8-v2";
    private static final int BATCH = 8;
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

    /**
     * The index in {@code devices} of the fastest one. The contenders are measured together, in one sitting, so
     * that a busy moment handicaps all of them alike; the verdict is cached for that set of device names.
     */
    public int fastest(List<Device> devices) {
        Properties cache = load();
        String key = key(devices);
        double[] gflops = parse(cache.getProperty(key), devices.size());
        boolean known = gflops != null;
        if (!known) {
            gflops = new double[devices.size()];
            for (int i = 0; i < devices.size(); i++) {
                gflops[i] = measure(devices.get(i));
            }
            StringBuilder value = new StringBuilder();
            for (double g : gflops) {
                value.append(value.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.2f", g));
            }
            cache.setProperty(key, value.toString());
            store(cache);
        }
        int best = 0;
        for (int i = 0; i < devices.size(); i++) {
            LOG.log(System.Logger.Level.INFO, "device {0}: {1} GFLOP/s on convolutions{2}", devices.get(i).name(),
                    String.format(Locale.ROOT, "%.1f", gflops[i]), known ? " (measured before, " + cacheFile + ")"
                            : "");
            best = gflops[i] > gflops[best] ? i : best;
        }
        return best;
    }

    /** One key per set of contenders (in order), the workload and the JVM's version. */
    private static String key(List<Device> devices) {
        StringBuilder sb = new StringBuilder(WORKLOAD + "|java " + Runtime.version().feature());
        devices.forEach(d -> sb.append('|').append(d.name())); // the Java device's name says which GEMM it uses
        return sb.toString().replaceAll("[^A-Za-z0-9+|().,_-]", "_");
    }

    /** {@code count} positive numbers separated by spaces, or null. */
    private static double[] parse(String value, int count) {
        if (value == null) {
            return null;
        }
        String[] parts = value.trim().split("\\s+");
        if (parts.length != count) {
            return null;
        }
        double[] numbers = new double[count];
        for (int i = 0; i < count; i++) {
            try {
                numbers[i] = Double.parseDouble(parts[i]);
            } catch (NumberFormatException e) {
                return null;
            }
            if (!(numbers[i] > 0)) {
                return null;
            }
        }
        return numbers;
    }

    /** GFLOP/s of the workload on {@code d}: median of three timed runs after one warm-up. */
    static double measure(Device d) {
        Random rng = new Random(1);
        try (TensorScope scope = TensorScope.open()) {
            Tensor x56 = d.fromArray(Shape.of(BATCH, 64, 56, 56), random(rng, BATCH * 64 * 56 * 56));
            Tensor w3 = d.fromArray(Shape.of(64, 64, 3, 3), random(rng, 64 * 64 * 9));
            Tensor x1 = d.fromArray(Shape.of(BATCH, 256, 56, 56), random(rng, BATCH * 256 * 56 * 56));
            Tensor w1 = d.fromArray(Shape.of(64, 256, 1, 1), random(rng, 64 * 256));
            Tensor x14 = d.fromArray(Shape.of(BATCH, 256, 14, 14), random(rng, BATCH * 256 * 14 * 14));
            Tensor w14 = d.fromArray(Shape.of(256, 256, 3, 3), random(rng, 256 * 256 * 9));
            double flops = 2.0 * BATCH * (64 * 56 * 56 * (64 * 9 + 256) + 256 * 14 * 14 * 256 * 9);
            double[] seconds = new double[3];
            for (int run = -1; run < seconds.length; run++) {
                d.synchronize();
                long t0 = System.nanoTime();
                try (Tensor a = d.conv2d(x56, w3, null, Conv2dParams.of(1, 1));
                     Tensor b = d.conv2d(x1, w1, null, Conv2dParams.of(1, 0));
                     Tensor c = d.conv2d(x14, w14, null, Conv2dParams.of(1, 1))) {
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
        return p;
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
