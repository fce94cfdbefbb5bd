package io.ucag.models;

import io.ucag.models.layers.Layer;

/**
 * What a set of weights needs besides its values: the architecture's structure, the input it expects and the
 * default target layer of the CAM methods.
 *
 * @param architecture   registry name, e.g. {@code resnet50}, {@code resnet50-keras}, {@code vgg16_bn}
 * @param root           the layer tree
 * @param inputSize      side of the square input, in pixels (224)
 * @param preprocessing  how pixels become the input tensor
 * @param numClasses     logits per image
 * @param defaultCamLayer the layer whose activations CAM methods use by default
 */
public record ModelSpec(String architecture, Layer root, int inputSize, Preprocessing preprocessing, int numClasses,
                        String defaultCamLayer) {
}
