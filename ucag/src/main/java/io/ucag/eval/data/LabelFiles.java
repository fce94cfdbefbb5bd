package io.ucag.eval.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The CSV label formats: {@code file,label} and {@code file,label,orig_w,orig_h,x0,y0,x1,y1}. */
public final class LabelFiles {
    private LabelFiles() {
    }

    /** {@code file,label} rows: file name -> class index (a file listed twice is an error). */
    public static Map<String, Integer> labels(Path csv) throws IOException {
        Csv c = Csv.read(csv);
        int file = c.column("file");
        int label = c.column("label");
        Map<String, Integer> out = new LinkedHashMap<>();
        for (int r = 0; r < c.size(); r++) {
            int value = c.integer(r, label);
            if (value < 0) {
                throw new IOException(c.where(r) + ": negative label " + value);
            }
            if (out.put(c.get(r, file), value) != null) {
                throw new IOException(c.where(r) + ": '" + c.get(r, file) + "' is listed twice");
            }
        }
        return out;
    }

    /**
     * {@code file,label,orig_w,orig_h,x0,y0,x1,y1} rows: file -> class -> boxes. The corners are in the pixel grid
     * of the image file as stored (imagenet-val-dev: already scaled to its 227 x 227 files); {@code orig_w} and
     * {@code orig_h}, the size of the original photo, are not needed and not read.
     */
    public static Map<String, Map<Integer, List<Box>>> boxes(Path csv) throws IOException {
        Csv c = Csv.read(csv);
        int file = c.column("file");
        int label = c.column("label");
        int[] corners = {c.column("x0"), c.column("y0"), c.column("x1"), c.column("y1")};
        Map<String, Map<Integer, List<Box>>> out = new LinkedHashMap<>();
        for (int r = 0; r < c.size(); r++) {
            double[] v = new double[4];
            for (int k = 0; k < 4; k++) {
                v[k] = c.number(r, corners[k]);
            }
            Box box;
            try {
                box = new Box(v[0], v[1], v[2], v[3]);
            } catch (IllegalArgumentException e) {
                throw new IOException(c.where(r) + ": " + e.getMessage(), e);
            }
            out.computeIfAbsent(c.get(r, file), k -> new TreeMap<>())
                    .computeIfAbsent(c.integer(r, label), k -> new ArrayList<>()).add(box);
        }
        return out;
    }

    /** Class names, one per line, in the model's output order (blank lines and {@code #} comments skipped). */
    public static List<String> classNames(Path file) throws IOException {
        List<String> names = java.nio.file.Files.readAllLines(file).stream().map(String::trim)
                .filter(s -> !s.isEmpty() && !s.startsWith("#")).toList();
        if (names.isEmpty()) {
            throw new IOException(file + ": no class names");
        }
        return names;
    }
}
