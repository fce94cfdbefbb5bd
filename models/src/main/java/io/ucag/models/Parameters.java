package io.ucag.models;

import java.util.Set;

/** Named float32 parameter arrays with their shapes, as a state_dict holds them (row-major). */
public interface Parameters {
    Set<String> names();

    int[] shape(String name);

    float[] data(String name);
}
