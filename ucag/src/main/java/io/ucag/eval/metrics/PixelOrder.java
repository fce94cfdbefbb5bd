package io.ucag.eval.metrics;

import java.util.Arrays;

/** The order in which the causal metrics perturb pixels: saliency descending, ties by pixel index (stable). */
public final class PixelOrder {
    private PixelOrder() {
    }

    /** {@code rank[p]}: 0 for the most salient pixel; NaN counts as the least salient value. */
    public static int[] ranks(float[] saliency) {
        long[] keys = new long[saliency.length];
        for (int p = 0; p < saliency.length; p++) {
            float v = Float.isNaN(saliency[p]) ? Float.NEGATIVE_INFINITY : saliency[p] + 0f; // -0.0 == 0.0
            int bits = Float.floatToIntBits(v);
            int ascending = bits >= 0 ? bits : bits ^ 0x7fffffff; // monotone in v, as a signed int
            // descending saliency in the high word, pixel index (ties: lower first) in the low word
            keys[p] = ((long) ~ascending << 32) | p;
        }
        Arrays.sort(keys);
        int[] rank = new int[saliency.length];
        for (int r = 0; r < keys.length; r++) {
            rank[(int) keys[r]] = r;
        }
        return rank;
    }
}
