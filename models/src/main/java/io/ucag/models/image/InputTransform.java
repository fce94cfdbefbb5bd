package io.ucag.models.image;

import io.ucag.models.Preprocessing;

/**
 * Turns an image into a model input (3, size, size), float32, in the model's channel order and normalisation:
 * torchvision's evaluation transform {@code Resize(256) + CenterCrop(224)} for {@link Crop#CENTER}, or a straight
 * resize to the input size for {@link Crop#NONE} (an image already of that size is used untouched). Resizing
 * is PIL's bilinear ({@link PilResize}), as torchvision does on PIL images.
 */
public final class InputTransform {
    /** How the image is fitted to the square model input. */
    public enum Crop {
        /** Resize the shorter side to {@code resizeShorter}, then take the centre {@code cropSize} square. */
        CENTER,
        /** Resize the whole image to {@code cropSize} x {@code cropSize} (aspect ratio not kept). */
        NONE
    }

    private InputTransform() {
    }

    /** The image as the network sees it, before normalisation (also what figures show under the map). */
    public static RgbImage fit(RgbImage image, Preprocessing p, Crop crop) {
        int size = p.cropSize();
        if (crop == Crop.NONE) {
            return PilResize.bilinear(image, size, size);
        }
        int w = image.width();
        int h = image.height();
        int shorter = p.resizeShorter();
        // torchvision: the shorter side becomes `shorter`, the longer one int(shorter * long / short)
        int newW = w <= h ? shorter : (int) ((long) shorter * w / h);
        int newH = w <= h ? (int) ((long) shorter * h / w) : shorter;
        RgbImage resized = PilResize.bilinear(image, newW, newH);
        int top = (int) Math.rint((newH - size) / 2.0); // Python's round(): halves go to the even neighbour
        int left = (int) Math.rint((newW - size) / 2.0);
        return resized.crop(top, left, size, size);
    }

    /** Normalised (3, h, w) values of an image already fitted, in the model's channel order. */
    public static float[] normalize(RgbImage fitted, Preprocessing p) {
        int plane = fitted.width() * fitted.height();
        float[] out = new float[3 * plane];
        byte[] px = fitted.pixels();
        for (int c = 0; c < 3; c++) {
            int source = p.bgr() ? 2 - c : c;
            for (int i = 0; i < plane; i++) {
                out[c * plane + i] = p.normalize(c, px[i * 3 + source] & 0xFF);
            }
        }
        return out;
    }

    public static float[] apply(RgbImage image, Preprocessing p, Crop crop) {
        return normalize(fit(image, p, crop), p);
    }
}
