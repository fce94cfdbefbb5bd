package io.ucag.models.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads JPEG, PNG and BMP files (8-bit RGB, grayscale, palette, with or without alpha) as {@link RgbImage}.
 * Alpha is dropped without compositing, as PIL's {@code convert("RGB")} does. CMYK/YCCK JPEGs, which Java's
 * decoder cannot convert faithfully, are refused with a message saying how to convert them.
 */
public final class ImageFiles {
    private ImageFiles() {
    }

    /** The image in {@code file}; IOException naming the file when it is missing, corrupt or of another kind. */
    public static RgbImage read(Path file) throws IOException {
        BufferedImage image;
        try (InputStream in = Files.newInputStream(file); ImageInputStream stream = ImageIO.createImageInputStream(in)) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(stream);
            if (!readers.hasNext()) {
                throw new IOException(file + ": not a JPEG, PNG or BMP image (unrecognised content)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(stream, true, true);
                image = reader.read(0);
            } catch (javax.imageio.IIOException e) {
                String why = String.valueOf(e.getMessage());
                if (why.contains("Unsupported Image Type") || why.contains("CMYK") || why.contains("YCCK")) {
                    throw new IOException(file + ": a CMYK JPEG, which is not supported; convert it to RGB first "
                            + "(e.g. `convert in.jpg -colorspace sRGB out.png`)", e);
                }
                throw new IOException(file + ": corrupt or truncated image (" + why + ")", e);
            } catch (RuntimeException e) { // decoders throw unchecked exceptions on some malformed data
                throw new IOException(file + ": corrupt image (" + e + ")", e);
            } finally {
                reader.dispose();
            }
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file", e);
        }
        if (image == null) {
            throw new IOException(file + ": the file holds no image");
        }
        return toRgb(image);
    }

    /** An 8-bit RGB {@link BufferedImage} ({@code TYPE_INT_RGB}) of the same pixels, e.g. to write with ImageIO. */
    public static BufferedImage toBufferedImage(RgbImage image) {
        BufferedImage b = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_INT_RGB);
        byte[] px = image.pixels();
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                int i = (y * image.width() + x) * 3;
                b.setRGB(x, y, (px[i] & 0xFF) << 16 | (px[i + 1] & 0xFF) << 8 | (px[i + 2] & 0xFF));
            }
        }
        return b;
    }

    /** The RGB components of any BufferedImage (grayscale, palette and alpha images included). */
    public static RgbImage toRgb(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        if (isPlainGray(image)) {
            return grayToRgb(image, w, h);
        }
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        byte[] rgb = new byte[w * h * 3];
        for (int i = 0; i < argb.length; i++) {
            rgb[i * 3] = (byte) (argb[i] >> 16);
            rgb[i * 3 + 1] = (byte) (argb[i] >> 8);
            rgb[i * 3 + 2] = (byte) argb[i];
        }
        return new RgbImage(w, h, rgb);
    }

    private static boolean isPlainGray(BufferedImage image) {
        return !(image.getColorModel() instanceof java.awt.image.IndexColorModel)
                && image.getColorModel().getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_GRAY;
    }

    /**
     * Gray levels replicated into R, G and B, as PIL does. {@code getRGB} would instead treat Java's gray colour
     * space as linear and brighten mid-tones (200 becomes 229).
     */
    private static RgbImage grayToRgb(BufferedImage image, int w, int h) {
        java.awt.image.Raster raster = image.getRaster();
        int bits = image.getColorModel().getComponentSize(0);
        byte[] rgb = new byte[w * h * 3];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            raster.getSamples(0, y, w, 1, 0, row);
            for (int x = 0; x < w; x++) {
                int v = bits == 8 ? row[x] : (int) Math.round(row[x] * 255.0 / ((1 << bits) - 1));
                byte b = (byte) v;
                int i = (y * w + x) * 3;
                rgb[i] = b;
                rgb[i + 1] = b;
                rgb[i + 2] = b;
            }
        }
        return new RgbImage(w, h, rgb);
    }
}
