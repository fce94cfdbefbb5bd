package io.ucag.eval.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Builds the samples of a {@link DatasetSpec}, sorted by image name then class. */
public final class Datasets {
    /**
     * The samples, and the class names of a detection dataset in the model's output order (null for ImageNet
     * labels, whose names {@code io.ucag.models.ImageNetClasses} knows).
     */
    public record Dataset(List<Sample> samples, List<String> classNames) {
    }

    private static final System.Logger LOG = System.getLogger(Datasets.class.getName());

    private Datasets() {
    }

    public static Dataset load(DatasetSpec spec) throws IOException {
        if (!Files.isDirectory(spec.images())) {
            throw new IOException(spec.images() + ": not a folder of images");
        }
        List<Sample> samples;
        List<String> classes = null;
        if (spec.voc() != null) {
            classes = spec.classes() != null ? LabelFiles.classNames(spec.classes()) : VocAnnotations.CLASSES;
            samples = fromDetections(spec.images(), VocAnnotations.read(spec.voc()), classes, "--voc");
        } else if (spec.coco() != null) {
            CocoInstances.Contents c = CocoInstances.read(spec.coco());
            classes = spec.classes() != null ? LabelFiles.classNames(spec.classes()) : c.categories();
            samples = fromDetections(spec.images(), c.images(), classes, "--coco");
        } else {
            samples = fromLabels(spec);
        }
        if (samples.isEmpty()) {
            throw new IOException(spec.images() + ": the dataset has no samples");
        }
        return new Dataset(samples.stream().sorted(Comparator.comparing(Sample::image)
                .thenComparingInt(Sample::label)).toList(), classes);
    }

    private static List<Sample> fromLabels(DatasetSpec spec) throws IOException {
        Map<String, Map<Integer, List<Box>>> boxes = spec.boxes() != null ? LabelFiles.boxes(spec.boxes()) : Map.of();
        Map<String, List<Integer>> labels = new TreeMap<>();
        if (spec.labels() != null) {
            LabelFiles.labels(spec.labels()).forEach((f, l) -> labels.put(f, List.of(l)));
        } else if (spec.boxes() != null) {
            boxes.forEach((f, byLabel) -> labels.put(f, List.copyOf(byLabel.keySet())));
        } else {
            for (String f : imageFiles(spec.images())) {
                labels.put(f, List.of(ImageNetWnids.labelOf(f)));
            }
        }
        List<Sample> out = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> e : labels.entrySet()) {
            Path path = existing(spec.images(), e.getKey());
            for (int label : e.getValue()) {
                List<Box> b = boxes.getOrDefault(e.getKey(), Map.of()).getOrDefault(label, List.of());
                out.add(new Sample(e.getKey(), path, label, b, List.of()));
            }
        }
        return out;
    }

    /** One sample per (image, class present); objects of classes outside {@code classes} are an error. */
    static List<Sample> fromDetections(Path dir, List<AnnotatedImage> images, List<String> classes, String flag)
            throws IOException {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < classes.size(); i++) {
            index.put(classes.get(i), i);
        }
        List<Sample> out = new ArrayList<>();
        int missing = 0;
        for (AnnotatedImage im : images) {
            Path path = dir.resolve(im.file());
            if (!Files.isRegularFile(path)) {
                missing++;
                continue;
            }
            Map<Integer, List<AnnotatedImage.Item>> byClass = new LinkedHashMap<>();
            for (AnnotatedImage.Item it : im.objects()) {
                Integer c = index.get(it.className());
                if (c == null) {
                    throw new IOException(flag + ": " + im.file() + " has an object of class '" + it.className()
                            + "', which is not among the " + classes.size() + " classes " + preview(classes)
                            + " (give the model's class list with --classes)");
                }
                byClass.computeIfAbsent(c, k -> new ArrayList<>()).add(it);
            }
            for (Map.Entry<Integer, List<AnnotatedImage.Item>> e : byClass.entrySet()) {
                List<Box> boxes = e.getValue().stream().map(AnnotatedImage.Item::box).toList();
                List<ObjectMask> masks = e.getValue().stream().map(AnnotatedImage.Item::mask)
                        .filter(m -> m != null).toList();
                out.add(new Sample(im.file(), path, e.getKey(), boxes, masks));
            }
        }
        if (missing > 0) {
            LOG.log(System.Logger.Level.WARNING, "{0} of {1} annotated images are not in {2}; skipped", missing,
                    images.size(), dir);
        }
        return out;
    }

    private static String preview(List<String> classes) {
        return classes.size() <= 5 ? classes.toString() : classes.subList(0, 5) + "...";
    }

    /** JPEG, PNG and BMP files directly in {@code dir}, sorted by name. */
    public static List<String> imageFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).filter(n -> {
                String l = n.toLowerCase(Locale.ROOT);
                return l.endsWith(".jpeg") || l.endsWith(".jpg") || l.endsWith(".png") || l.endsWith(".bmp");
            }).sorted().toList();
        }
    }

    private static Path existing(Path dir, String file) throws IOException {
        Path p = dir.resolve(file);
        if (!Files.isRegularFile(p)) {
            throw new IOException(p + ": listed in the labels but not found");
        }
        return p;
    }
}
