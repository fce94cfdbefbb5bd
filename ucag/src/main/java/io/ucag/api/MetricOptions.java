package io.ucag.api;

import io.ucag.eval.metrics.CausalMetric;
import io.ucag.eval.metrics.PointingGame;

/**
 * How {@link Network#evaluate} scores a map. Deletion and insertion (RISE, Petsiuk et al., BMVC 2018) follow
 * {@code game}; the pointing games need the object's region on the input grid, which is optional.
 *
 * @param game      the deletion/insertion settings (pixels per step, insertion blur, images per forward pass)
 * @param region    the target object's pixels on the input grid, (S, S) row-major, true inside; null skips the
 *                  pointing game and the energy pointing game
 * @param tolerance the pointing game's tolerance in input pixels (15 in TorchRay's protocol)
 */
public record MetricOptions(CausalMetric.Options game, boolean[] region, int tolerance) {
    /** Checks the fields and copies the region. */
    public MetricOptions {
        if (game == null) {
            throw new IllegalArgumentException("metric options need game settings, e.g. CausalMetric.Options.paper(224)");
        }
        if (tolerance < 0) {
            throw new IllegalArgumentException("the pointing tolerance must be >= 0 pixels, got " + tolerance);
        }
        region = region == null ? null : region.clone();
    }

    /**
     * The paper's settings for an S x S input: {@code S * 8} pixels per step, insertion blur kernel 51 and sigma
     * 50, 16 images per forward pass; no region; tolerance 15.
     */
    public static MetricOptions paper(int side) {
        return new MetricOptions(CausalMetric.Options.paper(side), null, PointingGame.TOLERANCE);
    }

    /** A copy of the region, or null. */
    @Override
    public boolean[] region() {
        return region == null ? null : region.clone();
    }

    /** The same options with the object's region (S*S values, true inside). */
    public MetricOptions withRegion(boolean[] mask) {
        return new MetricOptions(game, mask, tolerance);
    }

    /** The same options with other deletion/insertion settings. */
    public MetricOptions withGame(CausalMetric.Options value) {
        return new MetricOptions(value, region, tolerance);
    }
}
