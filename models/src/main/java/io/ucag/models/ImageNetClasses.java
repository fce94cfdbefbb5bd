package io.ucag.models;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The 1000 ImageNet-1k class names in index order (torchvision's {@code _IMAGENET_CATEGORIES}). */
public final class ImageNetClasses {
    private static final List<String> NAMES = load();

    private ImageNetClasses() {
    }

    public static List<String> names() {
        return NAMES;
    }

    /** The name of class {@code index}, or {@code class <index>} outside 0..999. */
    public static String name(int index) {
        return index >= 0 && index < NAMES.size() ? NAMES.get(index) : "class " + index;
    }

    private static List<String> load() {
        try (InputStream in = ImageNetClasses.class.getResourceAsStream("imagenet-classes.txt");
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return r.lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("imagenet-classes.txt is missing from the ucag-models jar", e);
        }
    }
}
