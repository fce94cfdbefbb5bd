package io.ucag.eval.data;

import io.ucag.weights.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A COCO instances file ({@code instances_val2017.json}): images, annotations with {@code bbox [x, y, w, h]} and
 * segmentations (polygons, or RLE with {@code counts} as a list or pycocotools' compressed string), categories.
 * Objects carry their masks; the pointing game uses them as TorchRay does ({@code coco.annToMask}).
 */
public final class CocoInstances {
    /** The images with their objects (class = category name), and the category names in ascending id order. */
    public record Contents(List<AnnotatedImage> images, List<String> categories) {
    }

    private CocoInstances() {
    }

    public static Contents read(Path file) throws IOException {
        Object root;
        try {
            root = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (Json.JsonException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        Map<String, Object> top = object(root, file, "the file");
        Map<Long, String> categories = new HashMap<>();
        List<Map<String, Object>> cats = objects(top, "categories", file);
        cats.sort(Comparator.comparingLong(c -> ((Number) c.get("id")).longValue()));
        List<String> names = new ArrayList<>();
        for (Map<String, Object> c : cats) {
            String name = string(c, "name", file);
            categories.put(number(c, "id", file).longValue(), name);
            names.add(name);
        }
        Map<Long, Map<String, Object>> imagesById = new LinkedHashMap<>();
        for (Map<String, Object> im : objects(top, "images", file)) {
            imagesById.put(number(im, "id", file).longValue(), im);
        }
        Map<Long, List<AnnotatedImage.Item>> items = new HashMap<>();
        for (Map<String, Object> a : objects(top, "annotations", file)) {
            long imageId = number(a, "image_id", file).longValue();
            Map<String, Object> im = imagesById.get(imageId);
            String category = categories.get(number(a, "category_id", file).longValue());
            if (im == null || category == null) {
                throw new IOException(file + ": annotation " + a.get("id") + " names an unknown image or category");
            }
            List<?> bbox = list(a, "bbox", file);
            if (bbox.size() != 4) {
                throw new IOException(file + ": annotation " + a.get("id") + ": bbox needs 4 numbers");
            }
            double x = ((Number) bbox.get(0)).doubleValue();
            double y = ((Number) bbox.get(1)).doubleValue();
            Box box = new Box(x, y, x + ((Number) bbox.get(2)).doubleValue(), y + ((Number) bbox.get(3)).doubleValue());
            ObjectMask mask = mask(a.get("segmentation"), im, file);
            items.computeIfAbsent(imageId, k -> new ArrayList<>()).add(new AnnotatedImage.Item(category, box, mask));
        }
        List<AnnotatedImage> images = new ArrayList<>();
        for (Map.Entry<Long, Map<String, Object>> e : imagesById.entrySet()) {
            Map<String, Object> im = e.getValue();
            images.add(new AnnotatedImage(string(im, "file_name", file), number(im, "width", file).intValue(),
                    number(im, "height", file).intValue(), items.getOrDefault(e.getKey(), List.of())));
        }
        return new Contents(images, names);
    }

    private static ObjectMask mask(Object segmentation, Map<String, Object> image, Path file) throws IOException {
        if (segmentation == null) {
            return null;
        }
        if (segmentation instanceof List<?> polygons) {
            if (polygons.isEmpty()) {
                return null;
            }
            List<double[]> rings = new ArrayList<>();
            for (Object ring : polygons) {
                List<?> coords = (List<?>) ring;
                double[] r = new double[coords.size()];
                for (int i = 0; i < r.length; i++) {
                    r[i] = ((Number) coords.get(i)).doubleValue();
                }
                rings.add(r);
            }
            return new ObjectMask.Polygons(rings);
        }
        Map<String, Object> rle = object(segmentation, file, "a segmentation");
        List<?> size = list(rle, "size", file);
        int height = ((Number) size.get(0)).intValue();
        int width = ((Number) size.get(1)).intValue();
        Object counts = rle.get("counts");
        if (counts instanceof String s) {
            return ObjectMask.Rle.decode(width, height, s);
        }
        List<?> c = (List<?>) counts;
        long[] runs = new long[c.size()];
        for (int i = 0; i < runs.length; i++) {
            runs[i] = ((Number) c.get(i)).longValue();
        }
        return ObjectMask.Rle.decode(width, height, runs);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value, Path file, String what) throws IOException {
        if (!(value instanceof Map<?, ?>)) {
            throw new IOException(file + ": " + what + " is not a JSON object");
        }
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> objects(Map<String, Object> parent, String key, Path file)
            throws IOException {
        List<?> l = list(parent, key, file);
        List<Map<String, Object>> out = new ArrayList<>(l.size());
        for (Object o : l) {
            out.add(object(o, file, "an entry of '" + key + "'"));
        }
        return out;
    }

    private static List<?> list(Map<String, Object> parent, String key, Path file) throws IOException {
        if (!(parent.get(key) instanceof List<?> l)) {
            throw new IOException(file + ": '" + key + "' is missing or not a JSON array");
        }
        return l;
    }

    private static Number number(Map<String, Object> parent, String key, Path file) throws IOException {
        if (!(parent.get(key) instanceof Number n)) {
            throw new IOException(file + ": '" + key + "' is missing or not a number in " + parent.keySet());
        }
        return n;
    }

    private static String string(Map<String, Object> parent, String key, Path file) throws IOException {
        if (!(parent.get(key) instanceof String s)) {
            throw new IOException(file + ": '" + key + "' is missing or not a string");
        }
        return s;
    }
}
