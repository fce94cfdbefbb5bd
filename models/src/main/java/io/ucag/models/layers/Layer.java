package io.ucag.models.layers;

import io.ucag.runtime.Shape;
import io.ucag.runtime.ops.Conv2dParams;
import io.ucag.runtime.ops.Pool2dParams;
import java.util.List;

/**
 * One node of a network's immutable structure. {@link #name()} is the module path PyTorch would print
 * ({@code features.28}, {@code layer4.2.conv1}); parameters are named {@code <name>.weight}, {@code <name>.bias},
 * {@code <name>.running_mean} ... exactly as in a torchvision {@code state_dict}. Layers hold no weights: a
 * {@code Model} binds them to tensors on a device.
 */
public sealed interface Layer {
    String name();

    /** {@code nn.Conv2d} (groups = 1); weight (out,in,kh,kw), bias (out) when {@code bias}. */
    record Conv2d(String name, int inChannels, int outChannels, int kernelH, int kernelW, Conv2dParams params,
                  boolean bias) implements Layer {
        public Shape weightShape() {
            return Shape.of(outChannels, inChannels, kernelH, kernelW);
        }
    }

    /** {@code nn.BatchNorm2d} in inference: weight, bias, running_mean, running_var, all (channels). */
    record BatchNorm2d(String name, int channels, float eps) implements Layer {
    }

    /** {@code nn.Linear}: weight (out,in), bias (out). */
    record Linear(String name, int inFeatures, int outFeatures) implements Layer {
    }

    /** {@code nn.ReLU}: max(x, 0) elementwise, (N,C,H,W) -> (N,C,H,W); no parameters. */
    record ReLU(String name) implements Layer {
    }

    /** {@code nn.MaxPool2d}: (N,C,H,W) -> (N,C,Ho,Wo) with the window, stride, padding and ceil mode of params. */
    record MaxPool2d(String name, Pool2dParams params) implements Layer {
    }

    /** {@code nn.AdaptiveAvgPool2d((outH, outW))}: (N,C,H,W) -> (N,C,outH,outW), PyTorch's bin edges. */
    record AdaptiveAvgPool2d(String name, int outH, int outW) implements Layer {
    }

    /** {@code torch.flatten(x, 1)}: (N, ...) -> (N, rest). */
    record Flatten(String name) implements Layer {
    }

    /** {@code nn.Dropout}: the identity at inference; kept so that module indices match torchvision's. */
    record Dropout(String name) implements Layer {
    }

    /** Children applied in order; children's names are full paths. */
    record Sequential(String name, List<Layer> children) implements Layer {
        public Sequential {
            children = List.copyOf(children);
        }
    }

    /**
     * A residual block (torchvision {@code BasicBlock} / {@code Bottleneck}): {@code relu(body(x) + shortcut(x))}
     * where an empty shortcut is the identity. {@code relu} names the block's ReLU module.
     */
    record Residual(String name, Sequential body, Sequential shortcut, ReLU relu) implements Layer {
    }
}
