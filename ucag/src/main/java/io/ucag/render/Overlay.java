package io.ucag.render;

import io.ucag.models.image.RgbImage;

/** A map drawn over a photo: {@code (1 - alpha) * photo + alpha * colour(map)}. */
public final class Overlay {
    /** Opacity of an unsigned (CAM-style) map drawn in {@link Colormap#JET}. */
    public static final float UNSIGNED_ALPHA = 0.5f;
    /** Opacity of a signed map drawn in {@link Colormap#DIVERGING}. */
    public static final float SIGNED_ALPHA = 0.6f;

    private Overlay() {
    }

    /**
     * A raw map (h*w values, row-major) drawn the way the CLI shows it: a signed map divided by its largest
     * magnitude in the diverging colours, an unsigned one after ReLU and min-max to [0,1] in jet.
     *
     * @param signed whether the map's sign means something ({@code Explainer.signed()})
     */
    public static RgbImage of(RgbImage photo, float[] map, boolean signed) {
        return signed ? draw(photo, PostProcess.symmetric(map), Colormap.DIVERGING, SIGNED_ALPHA)
                : draw(photo, PostProcess.RELU_MINMAX.apply(map), Colormap.JET, UNSIGNED_ALPHA);
    }

    /**
     * @param photo the image the network saw (h x w)
     * @param map   h*w values, row-major, in the colour map's range ([0,1] for jet, [-1,1] diverging)
     */
    public static RgbImage draw(RgbImage photo, float[] map, Colormap colours, float alpha) {
        int n = photo.width() * photo.height();
        if (map.length != n) {
            throw new IllegalArgumentException("a map of " + map.length + " values for a " + photo.width() + "x"
                    + photo.height() + " image");
        }
        byte[] px = photo.pixels();
        byte[] out = new byte[px.length];
        for (int i = 0; i < n; i++) {
            int rgb = colours.rgb(map[i]);
            for (int c = 0; c < 3; c++) {
                int colour = rgb >> (16 - 8 * c) & 0xFF;
                out[i * 3 + c] = (byte) Math.round((1 - alpha) * (px[i * 3 + c] & 0xFF) + alpha * colour);
            }
        }
        return new RgbImage(photo.width(), photo.height(), out);
    }
}
