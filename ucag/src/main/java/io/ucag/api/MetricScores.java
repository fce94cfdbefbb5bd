package io.ucag.api;

import java.util.OptionalDouble;

/**
 * The scores of one map on one input (see {@link Network#evaluate}).
 *
 * @param deletion        area under the deletion curve (RISE): lower is better
 * @param insertion       area under the insertion curve (RISE): higher is better
 * @param densityPositive D+ = f(I * M) / mean(M), the UCAG paper's map density (Table 5): higher is better;
 *                        NaN for an all-zero map
 * @param densityNegative D- = f(I * (1 - M)) / mean(1 - M): lower is better
 * @param pointing        1 for a pointing-game hit (Zhang et al., ECCV 2016), 0 for a miss; empty without region
 * @param energy          share of the map's mass inside the region (Score-CAM's energy pointing game); empty
 *                        without region
 */
public record MetricScores(double deletion, double insertion, double densityPositive, double densityNegative,
                           OptionalDouble pointing, OptionalDouble energy) {
    /** Checks that the optional scores are given (empty, not null). */
    public MetricScores {
        if (pointing == null || energy == null) {
            throw new IllegalArgumentException("pointing and energy are OptionalDouble.empty() when not scored");
        }
    }
}
