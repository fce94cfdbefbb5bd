package io.ucag.runtime;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * System properties set for a test and put back as they were on close, whatever the test set them to in between:
 * {@code try (PropertyOverride p = PropertyOverride.of("ucag.device", "java")) { ... }}.
 */
public final class PropertyOverride implements AutoCloseable {
    private final Deque<String[]> saved = new ArrayDeque<>(); // {name, value before or null}

    private PropertyOverride() {
    }

    /** Remembers {@code name}'s value, then sets it to {@code value} (null clears it). */
    public static PropertyOverride of(String name, String value) {
        return new PropertyOverride().and(name, value);
    }

    /** The same for one more property. */
    public PropertyOverride and(String name, String value) {
        saved.push(new String[] {name, System.getProperty(name)});
        set(name, value);
        return this;
    }

    @Override
    public void close() {
        while (!saved.isEmpty()) {
            String[] entry = saved.pop();
            set(entry[0], entry[1]);
        }
    }

    private static void set(String name, String value) {
        if (value == null) {
            System.clearProperty(name);
        } else {
            System.setProperty(name, value);
        }
    }
}
