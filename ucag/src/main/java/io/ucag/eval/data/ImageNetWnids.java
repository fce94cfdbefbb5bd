package io.ucag.eval.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ImageNet-1k WordNet ids in sorted order: the class index of a wnid is its position (0 = n01440764 tench,
 * 999 = n15075141 toilet tissue), the order of torchvision and Keras. The list is built in, so that a folder holding
 * only some classes still gets the right indices.
 */
public final class ImageNetWnids {
    private static final List<String> WNIDS = load();
    private static final Map<String, Integer> INDEX = index(WNIDS);

    private ImageNetWnids() {
    }

    /** The class of an ImageNet-sample file name {@code <wnid>_<name>.JPEG}, or an error naming the file. */
    public static int labelOf(String fileName) {
        int underscore = fileName.indexOf('_');
        String wnid = underscore > 0 ? fileName.substring(0, underscore) : fileName;
        Integer label = INDEX.get(wnid);
        if (label == null) {
            throw new IllegalArgumentException(fileName + ": the name does not start with an ImageNet-1k wnid "
                    + "(<wnid>_<name>.JPEG, e.g. n01440764_tench.JPEG); give a --labels CSV instead");
        }
        return label;
    }

    public static List<String> wnids() {
        return WNIDS;
    }

    private static List<String> load() {
        try (InputStream in = ImageNetWnids.class.getResourceAsStream("/io/ucag/eval/imagenet-wnids.txt");
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return r.lines().map(String::trim).filter(s -> !s.isEmpty()).toList();
        } catch (IOException | NullPointerException e) {
            throw new UncheckedIOException("imagenet-wnids.txt is missing from the ucag jar",
                    e instanceof IOException io ? io : new IOException(e));
        }
    }

    private static Map<String, Integer> index(List<String> wnids) {
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < wnids.size(); i++) {
            m.put(wnids.get(i), i);
        }
        return m;
    }
}
