package io.ucag.weights;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The parameter names and shapes of every architecture ucag builds, so that {@code convert --arch NAME} can
 * check a weight file without the models module (which depends on this one). Read from the resource
 * {@code architectures.txt} beside this class, generated from the models' layer trees (a test in models fails when
 * it is out of date). An architecture has one or more layouts: its torchvision state_dict names, and for
 * resnet50-keras also the Keras/TF.js names and layouts its published weights use.
 */
public final class Architectures {
    private static final String RESOURCE = "architectures.txt";

    /**
     * One way of naming an architecture's tensors.
     *
     * @param architecture  a model name, e.g. {@code resnet50}
     * @param layout        {@code torchvision} or {@code keras}
     * @param preprocessing the input preprocessing the weights expect, as metadata names it
     * @param shapes        tensor name -> shape, in the file order of that layout
     */
    public record Layout(String architecture, String layout, String preprocessing, Map<String, int[]> shapes) {
        public Layout {
            shapes = Collections.unmodifiableMap(new LinkedHashMap<>(shapes));
        }
    }

    private static List<Layout> layouts;

    private Architectures() {
    }

    /** Every layout, in resource order. */
    public static synchronized List<Layout> layouts() {
        if (layouts == null) {
            try (InputStream in = Architectures.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("resource " + RESOURCE + " is missing from the class path");
                }
                layouts = parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return layouts;
    }

    /** Architecture names, in resource order. */
    public static List<String> names() {
        return layouts().stream().map(Layout::architecture).distinct().toList();
    }

    /**
     * The layout of {@code architecture} that {@code weights} follow (the one sharing most tensor names), after
     * checking that they hold exactly its tensors with its shapes ({@code .num_batches_tracked}, a counter torch
     * saves, may be extra). Otherwise one error naming the first offending tensor and, for a shape, both shapes.
     */
    public static Layout check(String architecture, WeightSet weights) {
        List<Layout> candidates = layouts().stream().filter(l -> l.architecture().equals(architecture)).toList();
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("unknown architecture '" + architecture + "'; known: "
                    + String.join(", ", names()));
        }
        Layout layout = candidates.stream().max(Comparator.comparingLong(l -> sharedNames(l, weights)))
                .orElseThrow();
        String which = architecture + (candidates.size() > 1 ? " (" + layout.layout() + " names)" : "");
        TreeSet<String> missing = new TreeSet<>(layout.shapes().keySet());
        missing.removeAll(weights.names());
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(which + ": the weights lack " + missing.size() + " tensor(s), e.g. '"
                    + missing.first() + "' " + NamedTensor.formatShape(layout.shapes().get(missing.first()))
                    + ": are they for another architecture?");
        }
        TreeSet<String> extra = new TreeSet<>(weights.names());
        extra.removeAll(layout.shapes().keySet());
        extra.removeIf(n -> n.endsWith(".num_batches_tracked"));
        if (!extra.isEmpty()) {
            throw new IllegalArgumentException(which + ": the weights hold " + extra.size()
                    + " unexpected tensor(s), e.g. '" + extra.first() + "': are they for another architecture?");
        }
        for (Map.Entry<String, int[]> e : layout.shapes().entrySet()) {
            int[] found = weights.get(e.getKey()).shape();
            if (!Arrays.equals(found, e.getValue())) {
                throw new IllegalArgumentException(which + ": tensor '" + e.getKey() + "': expected shape "
                        + NamedTensor.formatShape(e.getValue()) + ", found " + NamedTensor.formatShape(found));
            }
        }
        return layout;
    }

    private static long sharedNames(Layout layout, WeightSet weights) {
        return weights.names().stream().filter(layout.shapes()::containsKey).count();
    }

    /**
     * Lines {@code architecture NAME layout L preprocessing P}, each followed by its tensors as
     * {@code NAME D0xD1x...}; {@code #} starts a comment line.
     */
    static List<Layout> parse(BufferedReader r) throws IOException {
        List<Layout> result = new ArrayList<>();
        String[] header = null;
        Map<String, int[]> shapes = null;
        String line;
        while ((line = r.readLine()) != null) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(" ");
            if (f[0].equals("architecture") && f.length == 6) {
                if (header != null) {
                    result.add(new Layout(header[1], header[3], header[5], shapes));
                }
                header = f;
                shapes = new LinkedHashMap<>();
            } else if (header != null && f.length == 2) {
                shapes.put(f[0], Arrays.stream(f[1].split("x")).mapToInt(Integer::parseInt).toArray());
            } else {
                throw new IllegalStateException(RESOURCE + ": cannot read line '" + line + "'");
            }
        }
        if (header != null) {
            result.add(new Layout(header[1], header[3], header[5], shapes));
        }
        return List.copyOf(result);
    }
}
