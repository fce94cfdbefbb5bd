package io.ucag.render;

/** Maps a value to an RGB colour (packed 0xRRGGBB). */
public enum Colormap {
    /** matplotlib's / OpenCV's jet, for non-negative maps in [0, 1]: blue, cyan, yellow, red. */
    JET {
        @Override
        public int rgb(float v) {
            float t = clamp01(v);
            float r = clamp01(1.5f - Math.abs(4 * t - 3));
            float g = clamp01(1.5f - Math.abs(4 * t - 2));
            float b = clamp01(1.5f - Math.abs(4 * t - 1));
            return pack(r, g, b);
        }
    },
    /** Diverging blue (-1) / white (0) / red (+1), for signed maps scaled to [-1, 1]. */
    DIVERGING {
        @Override
        public int rgb(float v) {
            float t = Math.max(-1f, Math.min(1f, v));
            return t >= 0 ? pack(1f, 1f - 0.8f * t, 1f - 0.85f * t) : pack(1f + 0.85f * t, 1f + 0.6f * t, 1f);
        }
    };

    public abstract int rgb(float value);

    private static float clamp01(float v) {
        return Float.isNaN(v) ? 0f : Math.max(0f, Math.min(1f, v));
    }

    private static int pack(float r, float g, float b) {
        return Math.round(255 * r) << 16 | Math.round(255 * g) << 8 | Math.round(255 * b);
    }
}
