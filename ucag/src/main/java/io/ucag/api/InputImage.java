package io.ucag.api;

import io.ucag.models.Preprocessing;
import io.ucag.models.image.ImageFiles;
import io.ucag.models.image.InputTransform;
import io.ucag.models.image.RgbImage;
import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import java.awt.image.BufferedImage;

/**
 * A photo prepared for one network: {@link #photo()} is what the network sees (resized and cropped to the
 * network's square input side S, 8-bit RGB), {@link #values()} the normalised input (3, S, S) in the network's
 * channel order and scale (see {@link Preprocessing}). Immutable (arrays are copied in and out); a plain Java
 * object, so it may be shared by threads and outlives any device.
 */
public final class InputImage {
    private final RgbImage photo;
    private final float[] values; // (3, S, S)

    private InputImage(RgbImage photo, float[] values) {
        this.photo = photo;
        this.values = values;
    }

    /** Fits {@code image} to {@code p}'s input ({@code crop}: torchvision's centre crop, or a plain resize). */
    public static InputImage of(BufferedImage image, Preprocessing p, InputTransform.Crop crop) {
        if (image == null || crop == null) {
            throw new IllegalArgumentException("an input needs an image and a crop mode (CENTER or NONE)");
        }
        RgbImage fitted = InputTransform.fit(ImageFiles.toRgb(image), p, crop);
        return new InputImage(fitted, InputTransform.normalize(fitted, p));
    }

    /** An input from an image already fitted to {@code p}'s side (e.g. {@code InputTransform.fit}). */
    public static InputImage ofFitted(RgbImage fitted, Preprocessing p) {
        if (fitted.width() != p.cropSize() || fitted.height() != p.cropSize()) {
            throw new IllegalArgumentException("the network takes " + p.cropSize() + "x" + p.cropSize()
                    + " inputs, got " + fitted.width() + "x" + fitted.height() + ": fit it first");
        }
        return new InputImage(fitted, InputTransform.normalize(fitted, p));
    }

    /** The image as the network sees it (S x S); the overlay is drawn over it. */
    public RgbImage photo() {
        return new RgbImage(photo.width(), photo.height(), photo.pixels().clone());
    }

    /** {@link #photo()} as a {@link BufferedImage}. */
    public BufferedImage toBufferedImage() {
        return ImageFiles.toBufferedImage(photo);
    }

    /** The input side S in pixels. */
    public int side() {
        return photo.width();
    }

    /** A copy of the normalised input, (3, S, S) row-major. */
    public float[] values() {
        return values.clone();
    }

    /** The input as a batch of one, (1, 3, S, S), on {@code device}; the caller closes it. */
    public Tensor toTensor(Device device) {
        return device.fromArray(Shape.of(1, 3, side(), side()), values);
    }

    RgbImage fittedPhoto() {
        return photo; // shared with package code that only reads it
    }
}
