package io.ucag.eval.report;

import io.ucag.models.image.PilResize;
import io.ucag.models.image.RgbImage;
import io.ucag.render.Colormap;
import io.ucag.render.Overlay;
import io.ucag.render.PostProcess;
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
        RgbImage overlay = signed ? Overlay.draw(fitted, PostProcess.symmetric(map), Colormap.DIVERGING, 0.6f)
                : Overlay.draw(fitted, PostProcess.RELU_MINMAX.apply(map), Colormap.JET, 0.5f);
        write(small(overlay), map(folder, method));
    }

    private static RgbImage small(RgbImage image) {
        return image.width() <= SIDE && image.height() <= SIDE ? image
                : PilResize.bilinear(image, SIDE, Math.max(1, SIDE * image.height() / image.width()));
    }

    private static void write(RgbImage image, Path file) throws IOException {
        BufferedImage b = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                b.setRGB(x, y, image.component(y, x, 0) << 16 | image.component(y, x, 1) << 8
                        | image.component(y, x, 2));
            }
        }
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
