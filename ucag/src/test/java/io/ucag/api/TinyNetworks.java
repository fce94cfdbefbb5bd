package io.ucag.api;

import static org.junit.jupiter.api.Assertions.fail;

import io.ucag.eval.TinyNet;
import io.ucag.models.ModelZoo;
import io.ucag.runtime.Device;
import io.ucag.runtime.DeviceUnavailableException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;

/** The API tests' network (the seeded 5-class TinyNet, loaded from a safetensors file through a zoo) and photos. */
final class TinyNetworks {
    private TinyNetworks() {
    }

    /** {@code java} or {@code opencl}; without OpenCL the test is skipped, except under CI=true where it fails. */
    static Device open(String kind) {
        try {
            return DeviceChoice.parse(kind).open();
        } catch (DeviceUnavailableException e) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("CI=true requires an OpenCL device, but: " + e.getMessage());
            }
            Assumptions.abort("no OpenCL device: " + e.getMessage());
            return null;
        }
    }

    /** TinyNet with weights from {@code seed}, written to {@code dir} and loaded by name through a zoo. */
    static Network load(Device device, Path dir, long seed) {
        try {
            Path weights = dir.resolve("tiny-" + seed + ".safetensors");
            TinyNet.save(weights, seed);
            return Network.load(ModelSource.of(TinyNet.NAME, weights), device, ModelZoo.BUILT_IN.with(TinyNet.spec()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A w x h photo of seeded noise with a bright rectangle, so that classes and maps differ between seeds. */
    static BufferedImage photo(long seed, int w, int h) {
        Random rng = new Random(seed);
        BufferedImage b = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int x0 = rng.nextInt(w / 2);
        int y0 = rng.nextInt(h / 2);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean inside = x >= x0 && x < x0 + w / 3 && y >= y0 && y < y0 + h / 3;
                int base = inside ? 160 : 0;
                b.setRGB(x, y, (base + rng.nextInt(96)) << 16 | (base + rng.nextInt(96)) << 8 | rng.nextInt(256));
            }
        }
        return b;
    }
}
