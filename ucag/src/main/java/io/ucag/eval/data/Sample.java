package io.ucag.eval.data;

import java.nio.file.Path;
import java.util.List;

/**
 * One evaluation item: an image file and one class in it, with that class's ground truth (possibly none).
 * Single-label datasets (ImageNet) give one sample per image; detection datasets (VOC, COCO) one per class present.
 *
 * @param image  the file name relative to the images folder (how results name it)
 * @param path   where the file is
 * @param label  the ground-truth class index in the model's output order
 * @param boxes  the class's boxes in the file's pixel grid (empty: no box ground truth)
 * @param masks  the class's object masks in the file's pixel grid (empty: none)
 */
public record Sample(String image, Path path, int label, List<Box> boxes, List<ObjectMask> masks) {
    public Sample {
        boxes = List.copyOf(boxes);
        masks = List.copyOf(masks);
        if (label < 0) {
            throw new IllegalArgumentException(image + ": negative class " + label);
        }
    }

    public Sample(String image, Path path, int label) {
        this(image, path, label, List.of(), List.of());
    }
}
