package io.ucag.eval.metrics;

/**
 * The pointing game (Zhang et al., ECCV 2016) with TorchRay's protocol ({@code benchmark.PointingGame}): the map's
 * arg-max pixel (u, v) is a hit when some ground-truth pixel (x, y) of the target class lies strictly within the
 * tolerance, {@code (x - u)^2 + (y - v)^2 < tolerance^2} (15 px). The benchmark score is the mean over classes of
 * hits / (hits + misses); that aggregation is done over the results.
 *
 * <p>Here map and ground truth are on the model's input grid (the image as the network sees it), so the tolerance
 * is in input pixels; TorchRay resizes the map to the original photo instead.
 */
public final class PointingGame {
    /** TorchRay's default tolerance, in pixels. */
    public static final int TOLERANCE = 15;

    private PointingGame() {
    }

    /** The index of the largest value (the first one, row-major, on ties; NaN never wins). */
    public static int argmax(float[] map) {
        int best = -1;
        for (int i = 0; i < map.length; i++) {
            if (!Float.isNaN(map[i]) && (best < 0 || map[i] > map[best])) {
                best = i;
            }
        }
        if (best < 0) {
            throw new IllegalArgumentException("the map holds no number (all NaN or empty)");
        }
        return best;
    }

    /**
     * @param map       H*W values, row-major
     * @param region    the target class's ground-truth pixels, H*W, row-major (at least one set)
     * @param width     W
     * @param tolerance in pixels (TorchRay: 15)
     */
    public static boolean hit(float[] map, boolean[] region, int width, int tolerance) {
        if (map.length != region.length || map.length % width != 0) {
            throw new IllegalArgumentException("pointing game: a map of " + map.length + " values, a region of "
                    + region.length + ", width " + width);
        }
        int point = argmax(map);
        int u = point % width;
        int v = point / width;
        long limit = (long) tolerance * tolerance;
        int height = map.length / width;
        for (int y = Math.max(0, v - tolerance); y <= Math.min(height - 1, v + tolerance); y++) {
            for (int x = Math.max(0, u - tolerance); x <= Math.min(width - 1, u + tolerance); x++) {
                long dx = x - u;
                long dy = y - v;
                if (dx * dx + dy * dy < limit && region[y * width + x]) {
                    return true;
                }
            }
        }
        return false;
    }
}
