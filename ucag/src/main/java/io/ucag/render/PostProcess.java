package io.ucag.render;

import java.util.Locale;

/** What is done to a raw attribution map before it is shown or saved. */
public enum PostProcess {
    /** Nothing: the raw values. */
    RAW,
    /** ReLU then min-max normalisation to [0, 1]: the CAM default (pytorch-grad-cam's scale_cam_image). */
    RELU_MINMAX;

    public static PostProcess parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "raw" -> RAW;
            case "relu-minmax" -> RELU_MINMAX;
            default -> throw new IllegalArgumentException("--post must be raw or relu-minmax, got '" + name + "'");
        };
    }

    public float[] apply(float[] map) {
        if (this == RAW) {
            return map.clone();
        }
        float[] out = new float[map.length];
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < map.length; i++) {
            out[i] = Math.max(0f, map[i]);
            min = Math.min(min, out[i]);
            max = Math.max(max, out[i]);
        }
        float range = max - min;
        for (int i = 0; i < out.length; i++) {
            out[i] = range > 0 ? (out[i] - min) / range : 0f;
        }
        return out;
    }

    /** A signed map divided by its largest magnitude, into [-1, 1] (for the diverging colour map). */
    public static float[] symmetric(float[] map) {
        float m = 0;
        for (float v : map) {
            m = Math.max(m, Math.abs(v));
        }
        float[] out = new float[map.length];
        for (int i = 0; i < map.length; i++) {
            out[i] = m > 0 ? map[i] / m : 0f;
        }
        return out;
    }

    /** Min-max to [0, 1] without ReLU, for showing a raw unsigned map. */
    public static float[] minMax(float[] map) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : map) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        float[] out = new float[map.length];
        for (int i = 0; i < map.length; i++) {
            out[i] = max > min ? (map[i] - min) / (max - min) : 0f;
        }
        return out;
    }
}
