package io.ucag.models.arch;

import io.ucag.models.layers.Layer;
import io.ucag.runtime.ops.Conv2dParams;
import io.ucag.runtime.ops.Pool2dParams;
import java.util.ArrayList;
import java.util.List;

/**
 * torchvision's VGG (Simonyan and Zisserman 2015, configurations A, B, D, E = VGG11/13/16/19), with and without
 * batch norm, with the exact module indices of {@code torchvision.models.vgg} so a state_dict loads as it is.
 */
public final class Vgg {
    private static final int POOL = 0; // marks a max-pool in a configuration

    private Vgg() {
    }

    /** Channel plan of each configuration; {@link #POOL} is a 2x2 max-pool. */
    static int[] configuration(int depth) {
        return switch (depth) {
            case 11 -> new int[] {64, POOL, 128, POOL, 256, 256, POOL, 512, 512, POOL, 512, 512, POOL};
            case 13 -> new int[] {64, 64, POOL, 128, 128, POOL, 256, 256, POOL, 512, 512, POOL, 512, 512, POOL};
            case 16 -> new int[] {64, 64, POOL, 128, 128, POOL, 256, 256, 256, POOL, 512, 512, 512, POOL,
                512, 512, 512, POOL};
            case 19 -> new int[] {64, 64, POOL, 128, 128, POOL, 256, 256, 256, 256, POOL, 512, 512, 512, 512, POOL,
                512, 512, 512, 512, POOL};
            default -> throw new IllegalArgumentException("VGG depth must be 11, 13, 16 or 19, got " + depth);
        };
    }

    /** torchvision's vgg11 ... vgg19_bn. */
    public static Layer.Sequential build(int depth, boolean batchNorm, int numClasses) {
        return build(depth, batchNorm, numClasses, 1);
    }

    /**
     * A VGG whose widths (every convolution's channels and the classifier's 4096 hidden features) are divided by
     * {@code widthDivisor}: 1 is torchvision's network; larger values give the same structure and parameter names
     * with narrow layers, small enough for test fixtures.
     *
     * @param widthDivisor 1, 2, 4, 8, 16, 32 or 64
     */
    public static Layer.Sequential build(int depth, boolean batchNorm, int numClasses, int widthDivisor) {
        WidthDivisor.check(widthDivisor, "VGG");
        int hidden = 4096 / widthDivisor;
        List<Layer> features = new ArrayList<>();
        int channels = 3;
        for (int c : configuration(depth)) {
            String name = "features." + features.size();
            if (c == POOL) {
                features.add(new Layer.MaxPool2d(name, Pool2dParams.of(2, 2, 0)));
                continue;
            }
            int v = c / widthDivisor;
            features.add(new Layer.Conv2d(name, channels, v, 3, 3, Conv2dParams.of(1, 1), true));
            if (batchNorm) {
                features.add(new Layer.BatchNorm2d("features." + features.size(), v, 1e-5f));
            }
            features.add(new Layer.ReLU("features." + features.size()));
            channels = v;
        }
        List<Layer> classifier = List.of(
                new Layer.Linear("classifier.0", channels * 7 * 7, hidden),
                new Layer.ReLU("classifier.1"),
                new Layer.Dropout("classifier.2"),
                new Layer.Linear("classifier.3", hidden, hidden),
                new Layer.ReLU("classifier.4"),
                new Layer.Dropout("classifier.5"),
                new Layer.Linear("classifier.6", hidden, numClasses));
        return new Layer.Sequential("", List.of(
                new Layer.Sequential("features", features),
                new Layer.AdaptiveAvgPool2d("avgpool", 7, 7),
                new Layer.Flatten("flatten"),
                new Layer.Sequential("classifier", classifier)));
    }

    /**
     * The output of the last ReLU before the final max-pool (14x14 at a 224 input: {@code features.29} for
     * VGG16), the layer the Grad-CAM paper uses.
     */
    public static String defaultCamLayer(int depth, boolean batchNorm) {
        int convs = 0;
        for (int v : configuration(depth)) {
            convs += v == POOL ? 0 : 1;
        }
        int pools = 5;
        int perConv = batchNorm ? 3 : 2;
        int lastReluIndex = convs * perConv + (pools - 1) - 1; // all layers before the final pool, 0-based
        return "features." + lastReluIndex;
    }
}
