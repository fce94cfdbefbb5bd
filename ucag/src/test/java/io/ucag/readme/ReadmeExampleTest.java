package io.ucag.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.api.Attribution;
import io.ucag.api.DeviceChoice;
import io.ucag.api.Explainers;
import io.ucag.api.InputImage;
import io.ucag.api.ModelSource;
import io.ucag.api.Network;
import io.ucag.api.Prediction;
import io.ucag.explain.Explainer;
import io.ucag.explain.UcagOptions;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's library example, compiled and run through the public API only (this package sees no internals):
 * the real Keras ResNet50 explains the demo's cat photo ({@code ~/.cache/ucag/chelsea.png}, which {@code ucag
 * demo} fetches) with UCAG-GradCAM and saves the overlay. The README must show exactly the code between the
 * markers below. Without the cached weights it is skipped, except under CI=true, where the example fetches them.
 */
class ReadmeExampleTest {
    private static final boolean CI = "true".equalsIgnoreCase(System.getenv("CI"));
    private static final String BEGIN = "// README example: begin";
    private static final String END = "// README example: end";

    @TempDir
    Path dir;

    // README example: begin
    static Prediction explainPhoto(Path photo, Path out) throws IOException {
        try (Network net = Network.open(ModelSource.defaultModel(), DeviceChoice.AUTO)) { // resnet50-keras
            InputImage input = net.prepare(photo);                        // shorter side 256, centre 224 x 224
            Prediction top = net.classify(input, 5).get(0);               // e.g. 285 Egyptian cat, p = 0.6
            Explainer ucagGradCam = Explainers.ucag(Explainers.byName("gradcam"), UcagOptions.PAPER);
            Attribution attribution = net.explain(input, ucagGradCam, top.classIndex());
            float[] map = attribution.map();                              // (224, 224), raw, row-major
            ImageIO.write(attribution.overlay(), "png", out.toFile());    // the map over the photo
            return top;
        }
    }
    // README example: end

    @Test
    void theExampleExplainsTheCatPhoto() throws IOException {
        Path weights = ModelSource.defaultCacheDir().resolve("resnet50-keras.safetensors");
        Assumptions.assumeTrue(CI || Files.isRegularFile(weights), "the real weights are not cached at " + weights
                + " (run `java -jar ucag/target/ucag.jar demo` once)");
        Path photo = ModelSource.defaultCacheDir().resolve("chelsea.png");
        Assumptions.assumeTrue(CI || Files.isRegularFile(photo), "the demo photo is not cached at " + photo);
        if (!Files.isRegularFile(photo)) {
            photo = sharedPhoto();
        }
        Path out = dir.resolve("overlay.png");
        Prediction top = explainPhoto(photo, out);
        if (photo.getFileName().toString().equals("chelsea.png")) {
            // ImageNet's cat classes: 281 tabby, 282 tiger cat, 283 Persian, 284 Siamese, 285 Egyptian cat
            assertTrue(top.classIndex() >= 281 && top.classIndex() <= 285, top.toString());
        }
        assertTrue(top.probability() > 0 && top.probability() <= 1, top.toString());
        BufferedImage overlay = ImageIO.read(out.toFile());
        assertEquals(224, overlay.getWidth());
        assertEquals(224, overlay.getHeight());
    }

    /** Under CI=true without the demo photo: the first ImageNet-val photo of ../shared. */
    private static Path sharedPhoto() throws IOException {
        Path dir = Path.of(System.getenv("UCAG_SHARED_DIR"), "data", "imagenet-val-dev");
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".JPEG")).sorted().findFirst()
                    .orElseThrow(() -> new IOException("no photo in " + dir));
        }
    }

    @Test
    void theReadmeShowsThisExample() throws IOException {
        List<String> example = markedLines(Files.readAllLines(Path.of("src/test/java/io/ucag/readme",
                "ReadmeExampleTest.java")));
        List<String> readme = Files.readAllLines(Path.of("..", "README.md"));
        int at = readme.indexOf(example.get(0));
        assertTrue(at >= 0, "README.md lacks the library example; its first line should be: " + example.get(0));
        assertEquals(example, readme.subList(at, Math.min(readme.size(), at + example.size())),
                "README.md's library example differs from ReadmeExampleTest's");
        assertTrue(example.size() <= 16, "the example should stay short: " + example.size() + " lines");
    }

    /** The lines between the markers, less the method's indentation. */
    private static List<String> markedLines(List<String> source) {
        List<String> out = new ArrayList<>();
        boolean inside = false;
        for (String line : source) {
            if (line.strip().equals(END)) {
                break;
            }
            if (inside) {
                out.add(line.length() >= 4 ? line.substring(4) : line.strip());
            }
            inside |= line.strip().equals(BEGIN);
        }
        return out;
    }
}
