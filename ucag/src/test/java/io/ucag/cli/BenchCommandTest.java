package io.ucag.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import io.ucag.weights.fetch.ModelFetcher;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench}: its flags, and one real run (the cached resnet50-keras weights, fetched when absent). */
class BenchCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void badFlagsGetOneMessageEach() {
        assertEquals(1, run("bench", "--runs", "0", "--image", "x.png"));
        assertTrue(err.toString().contains("--runs and --batch must be >= 1"), err.toString());
        assertEquals(1, run("bench", "--method", "occlusion", "--image", "x.png"));
        assertTrue(err.toString().contains("unknown method 'occlusion'"), err.toString());
    }

    /** A small random photo, and skips unless resnet50-keras is cached or CI (which fetches it) runs. */
    private static Path noisePhotoWithWeights(Path dir) throws IOException {
        Path photo = dir.resolve("noise.png");
        BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        Random rng = new Random(3);
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                image.setRGB(x, y, rng.nextInt(1 << 24));
            }
        }
        ImageIO.write(image, "png", photo.toFile());
        boolean cached = Files.exists(ModelFetcher.defaultCacheDir().resolve("resnet50-keras.safetensors"));
        Assumptions.assumeTrue(cached || "true".equalsIgnoreCase(System.getenv("CI")),
                "resnet50-keras is not cached here (CI fetches it)");
        return photo;
    }

    @Test
    void profileListsOpsAndTheCostliestShapes(@TempDir Path dir) throws IOException {
        Path photo = noisePhotoWithWeights(dir);
        assertEquals(0, run("bench", "--device", "java", "--runs", "1", "--profile", "--image", photo.toString()),
                err.toString());
        String text = out.toString();
        String shapes = text.substring(text.indexOf("costliest op shapes:"));
        assertTrue(text.contains("op profile (a wait after every op"), text);
        // the costliest shapes are convolutions with their GFLOP/s, at most 15 of them
        assertTrue(shapes.lines().skip(2).limit(3).allMatch(l -> l.strip().startsWith("conv2d")
                && l.strip().matches(".* [0-9]+ +[0-9.]+ +[0-9.]+$")), shapes);
        long listed = shapes.lines().skip(2).takeWhile(l -> l.startsWith("  ")).count();
        assertTrue(listed >= 3 && listed <= 15, shapes);
    }

    @Test
    void forwardBenchPrintsLayersAndEndsWithJson(@TempDir Path dir) throws IOException {
        Path photo = noisePhotoWithWeights(dir);
        assertEquals(0, run("bench", "--method", "forward", "--device", "java", "--runs", "2", "--json",
                "--image", photo.toString()), err.toString());
        String text = out.toString();
        // the stem (7x7, fused with its batch norm and ReLU) and a last block's 1x1 with the residual addition
        assertTrue(text.contains("conv2dFused  (1,3,224,224) (64,3,7,7) (64) -> (1,64,112,112)"), text);
        assertTrue(text.contains("(1,512,7,7) (2048,512,1,1) (2048) (1,2048,7,7) -> (1,2048,7,7)"), text);
        String[] lines = text.strip().split("\n");
        Matcher json = Pattern.compile("\\{\"seconds_median\": ([0-9.]+), \"gflops\": ([0-9.]+), "
                + "\"peak_rss_mb\": ([0-9]+), \"device\": \"java.*\"}").matcher(lines[lines.length - 1]);
        assertTrue(json.matches(), lines[lines.length - 1]);
        assertTrue(Double.parseDouble(json.group(1)) > 0);
        // resnet50-keras at 224 (strides on the 1x1 convolutions): 3.86 G multiply-adds = 7.72 GFLOP per pass
        assertEquals(7.72 / Double.parseDouble(json.group(1)), Double.parseDouble(json.group(2)),
                0.02 * Double.parseDouble(json.group(2)));
        assertTrue(Long.parseLong(json.group(3)) > 100);
    }
}
