package io.ucag.models;

import io.ucag.models.layers.Layer;
import io.ucag.runtime.ops.Conv2dParams;
import java.util.List;

/** Layer-tree pieces the small golden nets of models' tests share, with torchvision's module names. */
public final class TestBlocks {
    private TestBlocks() {
    }

    /**
     * torchvision's BasicBlock: conv3x3(stride)+BN+ReLU, conv3x3+BN, plus the identity or, when the stride or width
     * changes, a 1x1 conv+BN downsample; the shared ReLU after the sum. No biases.
     */
    public static Layer.Residual basicBlock(String name, int in, int out, int stride) {
        Layer.ReLU relu = new Layer.ReLU(name + ".relu");
        Layer.Sequential body = new Layer.Sequential(name + ".body", List.of(
                new Layer.Conv2d(name + ".conv1", in, out, 3, 3, Conv2dParams.of(stride, 1), false),
                new Layer.BatchNorm2d(name + ".bn1", out, 1e-5f),
                relu,
                new Layer.Conv2d(name + ".conv2", out, out, 3, 3, Conv2dParams.of(1, 1), false),
                new Layer.BatchNorm2d(name + ".bn2", out, 1e-5f)));
        List<Layer> shortcut = stride == 1 && in == out ? List.of() : List.of(
                new Layer.Conv2d(name + ".downsample.0", in, out, 1, 1, Conv2dParams.of(stride, 0), false),
                new Layer.BatchNorm2d(name + ".downsample.1", out, 1e-5f));
        return new Layer.Residual(name, body, new Layer.Sequential(name + ".downsample", shortcut), relu);
    }
}
