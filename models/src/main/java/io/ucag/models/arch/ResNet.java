package io.ucag.models.arch;

import io.ucag.models.layers.Layer;
import io.ucag.runtime.ops.Conv2dParams;
import io.ucag.runtime.ops.Pool2dParams;
import java.util.ArrayList;
import java.util.List;

/**
 * ResNet (He et al. 2016) with torchvision's module names. Two flavours:
 * <ul>
 *   <li>torchvision ("v1.5"): convolutions without bias, BatchNorm eps 1e-5, the stride of a downsampling
 *       bottleneck on its 3x3 convolution;</li>
 *   <li>Keras/Caffe ("v1", {@link #keras50()}): every convolution has a bias, BatchNorm eps 1e-3, and the stride
 *       of the first block of stages 3-5 on its first 1x1 convolution ({@code branch2a}) and its projection.</li>
 * </ul>
 */
public final class ResNet {
    /** How a flavour differs from torchvision's. */
    private record Flavour(boolean convBias, float bnEps, boolean strideOnFirst1x1) {
    }

    private static final Flavour TORCHVISION = new Flavour(false, 1e-5f, false);
    private static final Flavour KERAS = new Flavour(true, 1e-3f, true);

    private ResNet() {
    }

    static int[] blocksPerStage(int depth) {
        return switch (depth) {
            case 18, 34 -> depth == 18 ? new int[] {2, 2, 2, 2} : new int[] {3, 4, 6, 3};
            case 50 -> new int[] {3, 4, 6, 3};
            case 101 -> new int[] {3, 4, 23, 3};
            case 152 -> new int[] {3, 8, 36, 3};
            default -> throw new IllegalArgumentException("ResNet depth must be 18, 34, 50, 101 or 152, got " + depth);
        };
    }

    /** torchvision's resnet18/34/50/101/152. */
    public static Layer.Sequential build(int depth, int numClasses) {
        return build(depth, numClasses, 1);
    }

    /**
     * A torchvision ResNet whose widths (the stem's 64 channels and every stage's planes) are divided by
     * {@code widthDivisor}: 1 is torchvision's network; larger values give the same structure and parameter
     * names with narrow layers, small enough for test fixtures.
     *
     * @param widthDivisor 1, 2, 4, 8, 16, 32 or 64
     */
    public static Layer.Sequential build(int depth, int numClasses, int widthDivisor) {
        WidthDivisor.check(widthDivisor, "ResNet");
        return build(depth, numClasses, 64 / widthDivisor, TORCHVISION);
    }

    /** The original ResNet-50 v1 of Keras (and Caffe), with the module names of torchvision's resnet50. */
    public static Layer.Sequential keras50() {
        return build(50, 1000, 64, KERAS);
    }

    /** {@code width}: channels of the stem and planes of the first stage (64 in every published ResNet). */
    private static Layer.Sequential build(int depth, int numClasses, int width, Flavour f) {
        boolean bottleneck = depth >= 50;
        int expansion = bottleneck ? 4 : 1;
        List<Layer> top = new ArrayList<>();
        top.add(new Layer.Conv2d("conv1", 3, width, 7, 7, Conv2dParams.of(2, 3), f.convBias()));
        top.add(new Layer.BatchNorm2d("bn1", width, f.bnEps()));
        top.add(new Layer.ReLU("relu"));
        top.add(new Layer.MaxPool2d("maxpool", Pool2dParams.of(3, 2, 1)));
        int inChannels = width;
        int[] blocks = blocksPerStage(depth);
        for (int stage = 0; stage < 4; stage++) {
            int planes = width << stage;
            String stageName = "layer" + (stage + 1);
            List<Layer> stageBlocks = new ArrayList<>();
            for (int b = 0; b < blocks[stage]; b++) {
                int stride = stage > 0 && b == 0 ? 2 : 1;
                String name = stageName + "." + b;
                stageBlocks.add(bottleneck ? bottleneck(name, inChannels, planes, stride, f)
                        : basicBlock(name, inChannels, planes, stride, f));
                inChannels = planes * expansion;
            }
            top.add(new Layer.Sequential(stageName, stageBlocks));
        }
        top.add(new Layer.AdaptiveAvgPool2d("avgpool", 1, 1));
        top.add(new Layer.Flatten("flatten"));
        top.add(new Layer.Linear("fc", inChannels, numClasses));
        return new Layer.Sequential("", top);
    }

    private static Layer.Residual basicBlock(String name, int in, int planes, int stride, Flavour f) {
        Layer.ReLU relu = new Layer.ReLU(name + ".relu");
        Layer.Sequential body = new Layer.Sequential(name + ".body", List.of(
                new Layer.Conv2d(name + ".conv1", in, planes, 3, 3, Conv2dParams.of(stride, 1), f.convBias()),
                new Layer.BatchNorm2d(name + ".bn1", planes, f.bnEps()),
                relu,
                new Layer.Conv2d(name + ".conv2", planes, planes, 3, 3, Conv2dParams.of(1, 1), f.convBias()),
                new Layer.BatchNorm2d(name + ".bn2", planes, f.bnEps())));
        return new Layer.Residual(name, body, shortcut(name, in, planes, stride, f), relu);
    }

    private static Layer.Residual bottleneck(String name, int in, int planes, int stride, Flavour f) {
        int out = planes * 4;
        int stride1x1 = f.strideOnFirst1x1() ? stride : 1;
        int stride3x3 = f.strideOnFirst1x1() ? 1 : stride;
        Layer.ReLU relu = new Layer.ReLU(name + ".relu");
        Layer.Sequential body = new Layer.Sequential(name + ".body", List.of(
                new Layer.Conv2d(name + ".conv1", in, planes, 1, 1, Conv2dParams.of(stride1x1, 0), f.convBias()),
                new Layer.BatchNorm2d(name + ".bn1", planes, f.bnEps()),
                relu,
                new Layer.Conv2d(name + ".conv2", planes, planes, 3, 3, Conv2dParams.of(stride3x3, 1), f.convBias()),
                new Layer.BatchNorm2d(name + ".bn2", planes, f.bnEps()),
                relu,
                new Layer.Conv2d(name + ".conv3", planes, out, 1, 1, Conv2dParams.of(1, 0), f.convBias()),
                new Layer.BatchNorm2d(name + ".bn3", out, f.bnEps())));
        return new Layer.Residual(name, body, shortcut(name, in, out, stride, f), relu);
    }

    /** The projection {@code downsample} (1x1 conv + BN) where shape changes, else the identity (empty). */
    private static Layer.Sequential shortcut(String name, int in, int out, int stride, Flavour f) {
        if (stride == 1 && in == out) {
            return new Layer.Sequential(name + ".downsample", List.of());
        }
        return new Layer.Sequential(name + ".downsample", List.of(
                new Layer.Conv2d(name + ".downsample.0", in, out, 1, 1, Conv2dParams.of(stride, 0), f.convBias()),
                new Layer.BatchNorm2d(name + ".downsample.1", out, f.bnEps())));
    }
}
