package io.ucag.eval.data;

import io.ucag.models.Preprocessing;
import io.ucag.models.image.InputTransform;

/**
 * Where the pixels of an image file land on the model's square input grid, for the crop modes of
 * {@link InputTransform}: a file point (x, y) goes to {@code (x * scaleX - left, y * scaleY - top)}. PIL's resize
 * maps continuous coordinates linearly (output pixel centre u + 0.5 samples the input at (u + 0.5) / scale), so
 * box corners and pixel centres map exactly; the crop then shifts by the crop's origin.
 *
 * @param side the input side (224)
 */
public record InputGeometry(int fileWidth, int fileHeight, int side, double scaleX, double scaleY, int left,
                            int top) {
    /** The geometry {@link InputTransform#fit} applies to a {@code width x height} file. */
    public static InputGeometry of(int width, int height, Preprocessing p, InputTransform.Crop crop) {
        int size = p.cropSize();
        if (crop == InputTransform.Crop.NONE) {
            return new InputGeometry(width, height, size, (double) size / width, (double) size / height, 0, 0);
        }
        // Keep in step with InputTransform.fit: torchvision's Resize(shorter) then CenterCrop(size).
        int shorter = p.resizeShorter();
        int newW = width <= height ? shorter : (int) ((long) shorter * width / height);
        int newH = width <= height ? (int) ((long) shorter * height / width) : shorter;
        int top = (int) Math.rint((newH - size) / 2.0);
        int left = (int) Math.rint((newW - size) / 2.0);
        return new InputGeometry(width, height, size, (double) newW / width, (double) newH / height, left, top);
    }

    /** The box on the input grid, clipped to it; null when it falls outside the crop. */
    public Box toInput(Box fileBox) {
        return fileBox.transformed(scaleX, scaleY, left, top).clipped(side, side);
    }

    /** The file x coordinate of the centre of input column {@code x}. */
    public double fileX(int x) {
        return (x + 0.5 + left) / scaleX;
    }

    /** The file y coordinate of the centre of input row {@code y}. */
    public double fileY(int y) {
        return (y + 0.5 + top) / scaleY;
    }
}
