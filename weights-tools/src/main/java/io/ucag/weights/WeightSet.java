package io.ucag.weights;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A named, ordered collection of float32 tensors plus string metadata: what every weight file reader returns
 * and every writer takes. Model-agnostic: the mapping of these names onto a network's layers lives with the
 * models.
 */
public final class WeightSet {
    private final LinkedHashMap<String, NamedTensor> tensors = new LinkedHashMap<>();
    private final LinkedHashMap<String, String> metadata = new LinkedHashMap<>();

    public WeightSet() {
    }

    public WeightSet(Collection<NamedTensor> tensors, Map<String, String> metadata) {
        tensors.forEach(this::add);
        metadata.forEach(this::putMetadata);
    }

    /** Adds a tensor at the end; a second tensor with the same name is an error. */
    public WeightSet add(NamedTensor tensor) {
        Objects.requireNonNull(tensor, "tensor");
        if (tensors.putIfAbsent(tensor.name(), tensor) != null) {
            throw new IllegalArgumentException("duplicate tensor name '" + tensor.name() + "'");
        }
        return this;
    }

    public WeightSet putMetadata(String key, String value) {
        metadata.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value of " + key));
        return this;
    }

    /** Metadata in insertion order (read-only view). */
    public Map<String, String> metadata() {
        return Collections.unmodifiableMap(metadata);
    }

    /** Tensors in file order (read-only view). */
    public Collection<NamedTensor> tensors() {
        return Collections.unmodifiableCollection(tensors.values());
    }

    public List<String> names() {
        return List.copyOf(tensors.keySet());
    }

    public int size() {
        return tensors.size();
    }

    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    /** Total number of values over all tensors (the "parameter count", buffers included). */
    public long parameterCount() {
        long n = 0;
        for (NamedTensor t : tensors.values()) {
            n += t.numel();
        }
        return n;
    }

    /** The tensor called {@code name}; when there is none the error lists the closest names present. */
    public NamedTensor get(String name) {
        NamedTensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no tensor '" + name + "' among " + tensors.size() + " tensors"
                    + (tensors.isEmpty() ? "" : "; closest names: " + String.join(", ", nearNames(name, 5))));
        }
        return t;
    }

    /**
     * The tensor called {@code name}, checked to have exactly {@code expectedShape}, e.g. the error
     * {@code tensor 'layer1.0.conv1.weight': expected shape (64,64,1,1), found (64,64,3,3)}.
     */
    public NamedTensor require(String name, int... expectedShape) {
        NamedTensor t = get(name);
        if (!t.hasShape(expectedShape)) {
            throw new IllegalArgumentException("tensor '" + name + "': expected shape "
                    + NamedTensor.formatShape(expectedShape) + ", found " + NamedTensor.formatShape(t.shape()));
        }
        return t;
    }

    /** Throws on the first NaN or infinite value, naming the tensor and the index. */
    public void requireFinite() {
        tensors.values().forEach(NamedTensor::requireFinite);
    }

    /** Up to {@code limit} names ordered by edit distance to {@code name} (ties keep file order). */
    public List<String> nearNames(String name, int limit) {
        List<String> all = new ArrayList<>(tensors.keySet());
        Map<String, Integer> distance = new LinkedHashMap<>();
        for (String candidate : all) {
            distance.put(candidate, editDistance(name, candidate));
        }
        all.sort(Comparator.comparingInt(distance::get));
        return all.subList(0, Math.min(limit, all.size()));
    }

    /** Levenshtein distance (insert, delete, substitute each cost 1). */
    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    @Override
    public String toString() {
        return "WeightSet[" + tensors.size() + " tensors, " + parameterCount() + " values, metadata "
                + metadata + "]";
    }
}
