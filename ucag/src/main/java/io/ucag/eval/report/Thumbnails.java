package io.ucag.eval.report;

import io.ucag.models.image.ImageFiles;
import io.ucag.models.image.PilResize;
import io.ucag.models.image.RgbImage;
import io.ucag.render.Overlay;
import io.ucag.eval.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * The gallery's small pictures, under {@code out/thumbs/<image>_<class>/}: {@code photo.png} (the input as the
 * network sees it) and {@code <method>.png} (the map over it: ReLU + min-max, jet; diverging for signed maps).
 * Files are written atomically.
 */
public final class Thumbnails {
    /** Side of a thumbnail, in pixels. */
    public static final int SIDE = 112;

    private Thumbnails() {
    }

    public static Path folder(Path out, String image, int label) {
        return out.resolve("thumbs").resolve(safe(image) + "_" + label);
    }

    public static Path photo(Path folder) {
        return folder.resolve("photo.png");
    }

    public static Path map(Path folder, String method) {
        return folder.resolve(safe(method) + ".png");
    }

    public static void writePhoto(RgbImage fitted, Path folder) throws IOException {
        Path file = photo(folder);
        if (!Files.exists(file)) {
            write(small(fitted), file);
        }
    }

    public static void writeMap(RgbImage fitted, float[] map, boolean signed, Path folder, String method)
            throws IOException {
        write(small(Overlay.of(fitted, map, signed)), map(folder, method));
    }

    private static RgbImage small(RgbImage image) {
        return image.width() <= SIDE && image.height() <= SIDE ? image
                : PilResize.bilinear(image, SIDE, Math.max(1, SIDE * image.height() / image.width()));
    }

    private static void write(RgbImage image, Path file) throws IOException {
        BufferedImage b = ImageFiles.toBufferedImage(image);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        if (!ImageIO.write(b, "png", png)) {
            throw new IOException("no PNG writer in this JVM");
        }
        AtomicFiles.write(file, png.toByteArray());
    }

    /** A file-name-safe version of a name: letters, digits, '.', '-', '+' and '_' kept, others become '_'. */
    static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9.+_-]", "_");
    }
}
