package io.ucag.render;

import io.ucag.models.image.ImageFiles;
import io.ucag.models.image.RgbImage;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Panels side by side, each with a caption, under a title; written as PNG. Text needs a font: where the JVM has
 * none (a bare headless machine), the figure is drawn without text rather than not at all.
 */
public final class Figure {
    /** One image and its caption. */
    public record Panel(RgbImage image, String caption) {
    }

    private static final int MARGIN = 8;
    private static final int LINE = 18;
    private static final System.Logger LOG = System.getLogger(Figure.class.getName());

    private final String title;
    private final List<Panel> panels = new ArrayList<>();

    public Figure(String title) {
        this.title = title;
    }

    public Figure add(RgbImage image, String caption) {
        panels.add(new Panel(image, caption));
        return this;
    }

    public BufferedImage render() {
        int width = MARGIN;
        int height = 0;
        for (Panel p : panels) {
            width += p.image().width() + MARGIN;
            height = Math.max(height, p.image().height());
        }
        int top = MARGIN + LINE + 4;
        BufferedImage canvas = new BufferedImage(width, top + height + LINE + 2 * MARGIN, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, canvas.getWidth(), canvas.getHeight());
        int x = MARGIN;
        for (Panel p : panels) {
            g.drawImage(ImageFiles.toBufferedImage(p.image()), x, top, null);
            x += p.image().width() + MARGIN;
        }
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
            g.drawString(title, MARGIN, MARGIN + 13);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            x = MARGIN;
            for (Panel p : panels) {
                g.drawString(p.caption(), x, top + height + LINE);
                x += p.image().width() + MARGIN;
            }
        } catch (RuntimeException | Error e) { // no usable font (fontconfig missing): keep the pictures
            LOG.log(System.Logger.Level.WARNING, "figure text skipped: no font available ({0})", e.toString());
        }
        g.dispose();
        return canvas;
    }

    /** Writes the figure as PNG atomically (a partial file never replaces a good one). */
    public void writePng(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, ".figure-", ".png");
        try {
            if (!ImageIO.write(render(), "png", temp.toFile())) {
                throw new IOException("no PNG writer in this JVM");
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
