package io.ucag.eval.metrics;

import io.ucag.render.PostProcess;

/**
 * The energy-based pointing game (Score-CAM, Wang et al., CVPR-W 2020, Sec. 4.2): the share of the map's mass that
 * falls inside the target class's boxes, {@code sum(M inside) / sum(M)}, with M the map after ReLU and min-max
 * normalisation to [0, 1]. The benchmark averages it per class, then over classes (done over the results).
 */
public final class EnergyPointingGame {
    private EnergyPointingGame() {
    }

    /** The proportion in [0, 1]; NaN for a map with no positive mass (nothing to point with). */
    public static double energy(float[] map, boolean[] region) {
        if (map.length != region.length) {
            throw new IllegalArgumentException("energy pointing game: a map of " + map.length + " values, a region of "
                    + region.length);
        }
        float[] m = PostProcess.RELU_MINMAX.apply(map);
        double inside = 0;
        double total = 0;
        for (int i = 0; i < m.length; i++) {
            total += m[i];
            if (region[i]) {
                inside += m[i];
            }
        }
        return total > 0 ? inside / total : Double.NaN;
    }
}
