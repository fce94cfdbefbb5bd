package io.ucag.eval.data;

import java.util.List;

/**
 * An image of a detection dataset (PASCAL VOC, COCO) with its objects, as read from the annotation files.
 *
 * @param file   the image file name relative to the images folder
 * @param width  the width the annotation states (0 when unknown)
 * @param height the height the annotation states (0 when unknown)
 */
public record AnnotatedImage(String file, int width, int height, List<AnnotatedImage.Item> objects) {
    /** One object: its class name, its box in file pixels, and its mask (null when the dataset has none). */
    public record Item(String className, Box box, ObjectMask mask) {
    }

    public AnnotatedImage {
        objects = List.copyOf(objects);
    }
}
