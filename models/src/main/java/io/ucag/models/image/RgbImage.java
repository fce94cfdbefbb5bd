package io.ucag.models.image;

/**
 * An 8-bit RGB image, row-major, channels interleaved: component c of pixel (y, x) is
 * {@code pixels[(y * width + x) * 3 + c] & 0xFF}.
 */
public record RgbImage(int width, int height, byte[] pixels) {
    public RgbImage {
        if (width < 1 || height < 1 || pixels.length != width * height * 3) {
            throw new IllegalArgumentException("an RGB image of " + width + "x" + height + " needs "
                    + (long) width * height * 3 + " bytes, got " + pixels.length);
        }
    }

    public int component(int y, int x, int c) {
        return pixels[(y * width + x) * 3 + c] & 0xFF;
    }

    /** The window [top, top+h) x [left, left+w). */
    public RgbImage crop(int top, int left, int h, int w) {
        if (top < 0 || left < 0 || h < 1 || w < 1 || top + h > height || left + w > width) {
            throw new IllegalArgumentException("crop " + w + "x" + h + " at (" + left + "," + top + ") is outside a "
                    + width + "x" + height + " image");
        }
        byte[] out = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            System.arraycopy(pixels, ((top + y) * width + left) * 3, out, y * w * 3, w * 3);
        }
        return new RgbImage(w, h, out);
    }
}
