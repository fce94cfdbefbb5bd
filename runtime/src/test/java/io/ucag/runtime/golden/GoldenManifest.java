package io.ucag.runtime.golden;

import io.ucag.runtime.io.Npy;
import io.ucag.runtime.io.NpyArray;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A golden fixture folder on the test class path: a {@code manifest.txt} of space-separated lines ({@code #}
 * comments and blank lines skipped) naming {@code .npy} files next to it, all written by one python script. The
 * tests of several modules read their torch goldens through it; each gives the meaning of the lines itself.
 */
public final class GoldenManifest {
    private final String dir;
    private final String script;

    /**
     * @param dir    class-path folder ending in {@code /}, e.g. {@code /golden/cams/}
     * @param script the script that writes it, named in the error when a file is missing
     */
    public GoldenManifest(String dir, String script) {
        this.dir = dir;
        this.script = script;
    }

    /** The folder, for error messages. */
    public String dir() {
        return dir;
    }

    /** The manifest's lines in file order, each split at single spaces. */
    public List<String[]> lines() {
        List<String[]> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(resource("manifest.txt"),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    lines.add(line.split(" "));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }

    /** The error for a manifest line no reader case matches. */
    public IllegalStateException unknown(String[] fields) {
        return new IllegalStateException(dir + "manifest.txt: unknown line '" + String.join(" ", fields) + "'");
    }

    /** The array in {@code file} (relative to the folder). */
    public NpyArray npy(String file) {
        try (InputStream in = resource(file)) {
            return Npy.read(in, dir + file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The classes of {@code target <item> <class>} entries, by item (a sorted map's values). */
    public static int[] targets(Map<Integer, Integer> byItem) {
        return byItem.values().stream().mapToInt(Integer::intValue).toArray();
    }

    /** Each array's shape (a copy), by name in the map's order: with {@link #values}, a state_dict. */
    public static Map<String, int[]> shapes(Map<String, NpyArray> arrays) {
        Map<String, int[]> shapes = new LinkedHashMap<>();
        arrays.forEach((name, a) -> shapes.put(name, a.shape().clone()));
        return shapes;
    }

    /** Each array's values, by name in the map's order. */
    public static Map<String, float[]> values(Map<String, NpyArray> arrays) {
        Map<String, float[]> values = new LinkedHashMap<>();
        arrays.forEach((name, a) -> values.put(name, a.data()));
        return values;
    }

    private InputStream resource(String file) throws IOException {
        InputStream in = GoldenManifest.class.getResourceAsStream(dir + file);
        if (in == null) {
            throw new IOException("missing test resource " + dir + file + ": run " + script);
        }
        return in;
    }
}
