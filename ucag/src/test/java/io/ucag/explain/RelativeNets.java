package io.ucag.explain;

import io.ucag.models.ModelSpec;
import io.ucag.models.Preprocessing;
import io.ucag.models.layers.Layer;
import io.ucag.runtime.ops.Conv2dParams;
import io.ucag.runtime.ops.Pool2dParams;
import java.util.List;

/**
 * The two nets of make_relative_goldens.py, with its torchvision module names: a VGG-like net (BatchNorm, max and
 * adaptive average pooling, a classifier of three linear layers, the second seeing a signed input) and a ResNet-like
 * net (a basic block with an identity shortcut, a Keras-style bottleneck with biases, stride on its first 1x1
 * convolution and a projection shortcut).
 */
final class RelativeNets {
    static final int CLASSES = 5;

    private RelativeNets() {
    }

    static ModelSpec spec(String net) {
        return switch (net) {
            case "vgg" -> vgg();
            case "resnet" -> resnet();
            default -> throw new IllegalArgumentException("no net " + net);
        };
    }

    static ModelSpec vgg() {
        Layer.Sequential root = new Layer.Sequential("", List.of(
                new Layer.Sequential("features", List.of(
                        conv("features.0", 3, 6, 3, 1, 1, true), new Layer.BatchNorm2d("features.1", 6, 1e-5f),
                        new Layer.ReLU("features.2"), new Layer.MaxPool2d("features.3", Pool2dParams.of(2, 2, 0)),
                        conv("features.4", 6, 8, 3, 1, 1, true), new Layer.BatchNorm2d("features.5", 8, 1e-5f),
                        new Layer.ReLU("features.6"), new Layer.MaxPool2d("features.7", Pool2dParams.of(2, 2, 0)))),
                new Layer.AdaptiveAvgPool2d("avgpool", 2, 2),
                new Layer.Flatten("flatten"),
                new Layer.Sequential("classifier", List.of(
                        new Layer.Linear("classifier.0", 32, 16), new Layer.Linear("classifier.1", 16, 12),
                        new Layer.ReLU("classifier.2"), new Layer.Dropout("classifier.3"),
                        new Layer.Linear("classifier.4", 12, CLASSES)))));
        return new ModelSpec("vgg-like-bn", root, 16, Preprocessing.TORCHVISION, CLASSES, "features.6");
    }

    static ModelSpec resnet() {
        Layer.ReLU relu1 = new Layer.ReLU("layer1.0.relu");
        Layer.Residual basic = new Layer.Residual("layer1.0", new Layer.Sequential("layer1.0.body", List.of(
                conv("layer1.0.conv1", 6, 6, 3, 1, 1, false), new Layer.BatchNorm2d("layer1.0.bn1", 6, 1e-5f),
                relu1,
                conv("layer1.0.conv2", 6, 6, 3, 1, 1, false), new Layer.BatchNorm2d("layer1.0.bn2", 6, 1e-5f))),
                new Layer.Sequential("layer1.0.downsample", List.of()), relu1);
        Layer.ReLU relu2 = new Layer.ReLU("layer2.0.relu");
        Layer.Residual bottleneck = new Layer.Residual("layer2.0", new Layer.Sequential("layer2.0.body", List.of(
                conv("layer2.0.conv1", 6, 4, 1, 2, 0, true), new Layer.BatchNorm2d("layer2.0.bn1", 4, 1e-3f), relu2,
                conv("layer2.0.conv2", 4, 4, 3, 1, 1, true), new Layer.BatchNorm2d("layer2.0.bn2", 4, 1e-3f), relu2,
                conv("layer2.0.conv3", 4, 12, 1, 1, 0, true), new Layer.BatchNorm2d("layer2.0.bn3", 12, 1e-3f))),
                new Layer.Sequential("layer2.0.downsample", List.of(
                        conv("layer2.0.downsample.0", 6, 12, 1, 2, 0, true),
                        new Layer.BatchNorm2d("layer2.0.downsample.1", 12, 1e-3f))), relu2);
        Layer.Sequential root = new Layer.Sequential("", List.of(
                conv("conv1", 3, 6, 3, 1, 1, false), new Layer.BatchNorm2d("bn1", 6, 1e-5f),
                new Layer.ReLU("relu"), new Layer.MaxPool2d("maxpool", Pool2dParams.of(3, 2, 1)),
                new Layer.Sequential("layer1", List.of(basic)),
                new Layer.Sequential("layer2", List.of(bottleneck)),
                new Layer.AdaptiveAvgPool2d("avgpool", 1, 1),
                new Layer.Flatten("flatten"),
                new Layer.Linear("fc", 12, CLASSES)));
        return new ModelSpec("resnet-like-bn", root, 18, Preprocessing.TORCHVISION, CLASSES, "layer2");
    }

    private static Layer.Conv2d conv(String name, int in, int out, int k, int stride, int pad, boolean bias) {
        return new Layer.Conv2d(name, in, out, k, k, Conv2dParams.of(stride, pad), bias);
    }
}
