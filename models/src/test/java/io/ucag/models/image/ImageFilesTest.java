package io.ucag.models.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFilesTest {
    @TempDir
    Path dir;

    private Path write(BufferedImage image, String format, String name) throws IOException {
        Path file = dir.resolve(name);
        assertTrue(ImageIO.write(image, format, file.toFile()), "writer for " + format);
        return file;
    }

    @Test
    void readsRgbGrayPaletteAndAlphaPngsAndBmps() throws IOException {
        BufferedImage rgb = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(2, 1, 0x102030);
        RgbImage a = ImageFiles.read(write(rgb, "png", "rgb.png"));
        assertEquals(3, a.width());
        assertEquals(0x10, a.component(1, 2, 0));
        assertEquals(0x30, a.component(1, 2, 2));

        BufferedImage gray = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setSample(1, 0, 0, 200);
        RgbImage g = ImageFiles.read(write(gray, "png", "gray.png"));
        assertEquals(200, g.component(0, 1, 0));
        assertEquals(200, g.component(0, 1, 2));

        byte[] r = {0, (byte) 255};
        byte[] gr = {0, 10};
        byte[] b = {0, 20};
        BufferedImage palette = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_INDEXED,
                new IndexColorModel(1, 2, r, gr, b));
        palette.getRaster().setSample(1, 0, 0, 1);
        RgbImage p = ImageFiles.read(write(palette, "png", "palette.png"));
        assertEquals(255, p.component(0, 1, 0));
        assertEquals(20, p.component(0, 1, 2));

        BufferedImage alpha = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
        alpha.setRGB(0, 0, 0x00FF8040); // fully transparent: colour kept, alpha dropped (PIL convert("RGB"))
        RgbImage t = ImageFiles.read(write(alpha, "png", "alpha.png"));
        assertEquals(0x80, t.component(0, 0, 1));

        RgbImage bmp = ImageFiles.read(write(rgb, "bmp", "rgb.bmp"));
        assertEquals(0x20, bmp.component(1, 2, 1));
    }

    @Test
    void badFilesGetOneClearMessageNamingTheFile() throws IOException {
        Path missing = dir.resolve("missing.jpg");
        IOException e1 = assertThrows(IOException.class, () -> ImageFiles.read(missing));
        assertTrue(e1.getMessage().contains("missing.jpg") && e1.getMessage().contains("no such file"),
                e1.getMessage());

        Path text = Files.writeString(dir.resolve("notes.jpg"), "this is not an image");
        IOException e2 = assertThrows(IOException.class, () -> ImageFiles.read(text));
        assertTrue(e2.getMessage().startsWith(text.toString()), e2.getMessage());

        BufferedImage rgb = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        byte[] jpeg = Files.readAllBytes(write(rgb, "jpg", "full.jpg"));
        Path truncated = Files.write(dir.resolve("truncated.jpg"), Arrays.copyOf(jpeg, jpeg.length / 3));
        IOException e3 = assertThrows(IOException.class, () -> ImageFiles.read(truncated));
        assertTrue(e3.getMessage().contains("truncated.jpg"), e3.getMessage());
    }
}
