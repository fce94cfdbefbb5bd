package io.ucag.kernels.opencl;

import io.ucag.runtime.PropertyOverride;

/** Runs test code with {@link ClTiledConv}'s properties set, so that both conv2d paths run on any device. */
final class TiledConvSetting {
    /** Tile sizes exercised on the tiled path: the default and other shapes of group and per-item block. */
    static final ClTiledConv.Tiles[] TILES = {ClTiledConv.Tiles.DEFAULT, new ClTiledConv.Tiles(128, 128, 16, 8, 8),
        new ClTiledConv.Tiles(64, 128, 16, 4, 8), new ClTiledConv.Tiles(128, 64, 16, 8, 4),
        new ClTiledConv.Tiles(64, 64, 16, 4, 4), ClTiledConv.Tiles.SMALL_GROUPS};

    private TiledConvSetting() {
    }

    /** {@code body} with every conv2d on the tiled (GPU) path if {@code tiled}, else on conv.cl's; then as before. */
    static void with(boolean tiled, Runnable body) {
        with(tiled, ClTiledConv.Tiles.DEFAULT, body);
    }

    /** The same with {@code tiles} on the tiled path. */
    static void with(boolean tiled, ClTiledConv.Tiles tiles, Runnable body) {
        String t = tiles.m() + "," + tiles.n() + "," + tiles.k() + "," + tiles.wptM() + "," + tiles.wptN();
        try (PropertyOverride p = PropertyOverride.of(ClTiledConv.PROPERTY, Boolean.toString(tiled))
                .and(ClTiledConv.TILES_PROPERTY, t)) {
            body.run();
        }
    }
}
