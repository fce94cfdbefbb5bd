package io.ucag.models;

import io.ucag.weights.WeightSet;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** Named float32 parameter arrays with their shapes, as a state_dict holds them (row-major). */
public interface Parameters {
    Set<String> names();

    int[] shape(String name);

    float[] data(String name);

    /** Tensors held in memory: {@code values.get(name)} row-major of shape {@code shapes.get(name)}. */
    static Parameters of(Map<String, int[]> shapes, Map<String, float[]> values) {
        Set<String> names = Collections.unmodifiableSet(new LinkedHashSet<>(values.keySet()));
        return new Parameters() {
            @Override
            public Set<String> names() {
                return names;
            }

            @Override
            public int[] shape(String name) {
                return shapes.get(name);
            }

            @Override
            public float[] data(String name) {
                return values.get(name);
            }
        };
    }

    /** The tensors of a weight file, by their names in it. */
    static Parameters of(WeightSet weights) {
        Set<String> names = new LinkedHashSet<>(weights.names());
        return new Parameters() {
            @Override
            public Set<String> names() {
                return names;
            }

            @Override
            public int[] shape(String name) {
                return weights.get(name).shape();
            }

            @Override
            public float[] data(String name) {
                return weights.get(name).data();
            }
        };
    }
}
