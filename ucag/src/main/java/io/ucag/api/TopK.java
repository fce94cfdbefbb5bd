package io.ucag.api;

/** Indices of the largest values of a row (ties: the lower index first). */
public final class TopK {
    private TopK() {
    }

    /**
     * The {@code k} indices (relative to {@code offset}) of the largest of {@code count} values, largest first;
     * fewer when {@code count < k}.
     */
    public static int[] indices(float[] values, int offset, int count, int k) {
        if (k < 0 || count < 0 || offset < 0 || offset + count > values.length) {
            throw new IllegalArgumentException("top-" + k + " of values [" + offset + ", " + (offset + count)
                    + ") of an array of " + values.length);
        }
        int[] best = new int[Math.min(k, count)];
        boolean[] taken = new boolean[count];
        for (int r = 0; r < best.length; r++) {
            int b = -1;
            for (int i = 0; i < count; i++) {
                if (!taken[i] && (b < 0 || values[offset + i] > values[offset + b])) {
                    b = i;
                }
            }
            taken[b] = true;
            best[r] = b;
        }
        return best;
    }
}
