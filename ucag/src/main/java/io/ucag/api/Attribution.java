package io.ucag.api;

import io.ucag.models.image.ImageFiles;
import io.ucag.models.image.RgbImage;
import io.ucag.render.Overlay;
import io.ucag.render.PostProcess;
import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import java.awt.image.BufferedImage;

/**
 * One attribution map of one input, at the input's resolution (H = W = the network's input side S), with what
 * made it. {@link #map()} is raw: no ReLU, no normalisation (CAM maps are non-negative after ReLU only when
 * shown; gradient maps carry signs, see {@link #signed()}). Immutable plain Java values (arrays are copied):
 * it holds no device memory and may be shared by threads.
 */
public final class Attribution {
    private final String method;
    private final boolean signed;
    private final int target;
    private final float targetProbability;
    private final RgbImage photo;
    private final float[] map; // (H, W) row-major

    Attribution(String method, boolean signed, int target, float targetProbability, RgbImage photo, float[] map) {
        if (map.length != photo.width() * photo.height()) {
            throw new IllegalArgumentException("a map of " + map.length + " values for a " + photo.width() + "x"
                    + photo.height() + " input");
        }
        this.method = method;
        this.signed = signed;
        this.target = target;
        this.targetProbability = targetProbability;
        this.photo = photo;
        this.map = map;
    }

    /** The method's registry name, e.g. {@code gradcam} or {@code gradcam+ucag}. */
    public String method() {
        return method;
    }

    /** True when the map's sign means something (gradients, relevance); false for CAM-style maps. */
    public boolean signed() {
        return signed;
    }

    /** The explained class. */
    public int target() {
        return target;
    }

    /** The network's softmax probability of {@link #target()} on the whole input. */
    public float targetProbability() {
        return targetProbability;
    }

    /** Width W of the map in pixels. */
    public int width() {
        return photo.width();
    }

    /** Height H of the map in pixels. */
    public int height() {
        return photo.height();
    }

    /** A copy of the raw map, (H, W) row-major. */
    public float[] map() {
        return map.clone();
    }

    /**
     * The map scaled for display: a signed map divided by its largest magnitude (into [-1, 1]), an unsigned one
     * after ReLU and min-max normalisation to [0, 1] (pytorch-grad-cam's {@code scale_cam_image}).
     */
    public float[] normalized() {
        return signed ? PostProcess.symmetric(map) : PostProcess.RELU_MINMAX.apply(map);
    }

    /** The raw map as a tensor (1, 1, H, W) on {@code device}; the caller closes it. */
    public Tensor toTensor(Device device) {
        return device.fromArray(Shape.of(1, 1, height(), width()), map);
    }

    /**
     * The map drawn over the input as the network saw it (W x H, 8-bit RGB): {@link #normalized()} in jet at
     * opacity 0.5, or for a signed map in blue-white-red at 0.6 -- the CLI's figures.
     */
    public BufferedImage overlay() {
        return ImageFiles.toBufferedImage(Overlay.of(photo, map, signed));
    }

    float[] rawMap() {
        return map; // for package code that only reads it
    }
}
