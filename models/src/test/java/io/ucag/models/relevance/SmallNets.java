package io.ucag.models.relevance;

import io.ucag.models.Model;
import io.ucag.models.ModelSpec;
import io.ucag.models.Parameters;
import io.ucag.models.Preprocessing;
import io.ucag.models.arch.ResNet;
import io.ucag.models.layers.Layer;
import io.ucag.models.layers.Layers;
import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.autograd.Gradients;
import io.ucag.runtime.autograd.Tape;
import io.ucag.runtime.ops.Conv2dParams;
import io.ucag.runtime.ops.Pool2dParams;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Small seeded VGG-like and ResNet-like networks (with BatchNorm) for relevance tests, and reference helpers. */
final class SmallNets {
    static final int CLASSES = 5;
    static final int SIDE = 16;

    private SmallNets() {
    }

    /** conv-bn-relu-pool, conv-relu, conv-bn-relu, adaptive pool, flatten, linear-relu-dropout-linear. */
    static ModelSpec vgg() {
        Layer.Sequential root = new Layer.Sequential("", List.of(
                new Layer.Sequential("features", List.of(
                        new Layer.Conv2d("features.0", 3, 6, 3, 3, Conv2dParams.of(1, 1), true),
                        new Layer.BatchNorm2d("features.1", 6, 1e-5f),
                        new Layer.ReLU("features.2"),
                        new Layer.MaxPool2d("features.3", Pool2dParams.of(2, 2, 0)),
                        new Layer.Conv2d("features.4", 6, 8, 3, 3, Conv2dParams.of(1, 1), true),
                        new Layer.ReLU("features.5"),
                        new Layer.Conv2d("features.6", 8, 8, 3, 3, Conv2dParams.of(1, 1), false),
                        new Layer.BatchNorm2d("features.7", 8, 1e-5f),
                        new Layer.ReLU("features.8"))),
                new Layer.AdaptiveAvgPool2d("avgpool", 2, 2),
                new Layer.Flatten("flatten"),
                new Layer.Sequential("classifier", List.of(
                        new Layer.Linear("classifier.0", 32, 10),
                        new Layer.ReLU("classifier.1"),
                        new Layer.Dropout("classifier.2"),
                        new Layer.Linear("classifier.3", 10, CLASSES)))));
        return new ModelSpec("small-vgg", root, SIDE, Preprocessing.TORCHVISION, CLASSES, "features.8");
    }

    /** torchvision's resnet18 structure with 2..16 channels (identity and projection shortcuts, BatchNorm). */
    static ModelSpec resnet() {
        return new ModelSpec("small-resnet", ResNet.build(18, CLASSES, 32), SIDE, Preprocessing.TORCHVISION, CLASSES,
                "layer4");
    }

    /**
     * {@code spec} with seeded weights on {@code device}. {@code withBias}: random biases and BatchNorm shifts;
     * otherwise every bias, running mean and BatchNorm beta is 0, so that the folded network has no bias.
     */
    static Model load(ModelSpec spec, Device device, long seed, boolean withBias) {
        Map<String, int[]> shapes = Layers.parameterShapes(spec.root());
        Random rng = new Random(seed);
        Map<String, float[]> values = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> e : shapes.entrySet()) {
            int n = Arrays.stream(e.getValue()).reduce(1, (a, b) -> a * b);
            int fanIn = e.getValue().length > 1 ? n / e.getValue()[0] : 1;
            String name = e.getKey();
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                double u = rng.nextDouble() * 2 - 1;
                if (name.endsWith("running_var")) {
                    v[i] = (float) (0.5 + rng.nextDouble());
                } else if (name.endsWith("running_mean") || (name.endsWith(".bias") && !isWeightOfAffine(spec, name))) {
                    v[i] = withBias ? (float) (0.2 * u) : 0f;
                } else if (name.endsWith(".bias")) {
                    v[i] = withBias ? (float) (0.1 * u) : 0f;
                } else if (isBatchNormWeight(spec, name)) {
                    v[i] = (float) (0.5 + rng.nextDouble());
                } else {
                    v[i] = (float) (u * 1.7 / Math.sqrt(fanIn));
                }
            }
            values.put(name, v);
        }
        return Model.load(spec, Parameters.of(shapes, values), device);
    }

    /** True for the bias of a Conv2d or Linear (as opposed to a BatchNorm's beta). */
    private static boolean isWeightOfAffine(ModelSpec spec, String parameter) {
        String layer = parameter.substring(0, parameter.lastIndexOf('.'));
        return Layers.find(spec.root(), layer).filter(l -> !(l instanceof Layer.BatchNorm2d)).isPresent();
    }

    private static boolean isBatchNormWeight(ModelSpec spec, String parameter) {
        String layer = parameter.substring(0, parameter.lastIndexOf('.'));
        return parameter.endsWith(".weight")
                && Layers.find(spec.root(), layer).filter(l -> l instanceof Layer.BatchNorm2d).isPresent();
    }

    static float[] images(long seed, int count) {
        Random rng = new Random(seed);
        float[] v = new float[count * 3 * SIDE * SIDE];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        return v;
    }

    static Tensor upload(Device d, float[] images) {
        return d.fromArray(Shape.of(images.length / (3 * SIDE * SIDE), 3, SIDE, SIDE), images);
    }

    /** Gradient x Input (N,3,H,W) of each item's target logit, by autograd on the unfolded model. */
    static float[] gradientTimesInput(Model model, float[] images, int[] targets) {
        Device d = model.device();
        try (Tape tape = new Tape(); TensorScope scope = TensorScope.open()) {
            Tensor x = tape.watch(upload(d, images));
            Tensor logits = model.forward(tape.on(d), x, (name, out) -> { });
            try (Gradients g = tape.backward(logits, Seed.oneHot(d, targets, CLASSES))) {
                return d.mul(x, g.of(x)).toArray();
            }
        }
    }

    /** The input relevance (N,3,H,W) of {@code composite}, seeded with each item's target logit. */
    static float[] relevance(Model model, float[] images, int[] targets, Composite composite) {
        Device d = model.device();
        try (TensorScope scope = TensorScope.open();
             Relevance r = RelevancePass.run(model, upload(d, images), Seed.targetLogit(targets), composite)) {
            return r.input().toArray();
        }
    }

    static float[] logits(Model model, float[] images) {
        try (TensorScope scope = TensorScope.open()) {
            return model.forward(upload(model.device(), images)).toArray();
        }
    }

    /** Sum of each item's values. */
    static double[] perItemSums(float[] values, int items) {
        double[] sums = new double[items];
        int per = values.length / items;
        for (int i = 0; i < values.length; i++) {
            sums[i / per] += values[i];
        }
        return sums;
    }

    /** max |a - b| <= tol * max |a| (a scale-aware comparison of whole maps). */
    static void assertClose(float[] expected, float[] actual, double tol, String what) {
        if (expected.length != actual.length) {
            throw new AssertionError(what + ": lengths " + expected.length + " vs " + actual.length);
        }
        double scale = 0;
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            if (!Float.isFinite(actual[i])) {
                throw new AssertionError(what + ": non-finite value " + actual[i] + " at " + i);
            }
            double diff = Math.abs(expected[i] - actual[i]);
            if (diff > worst) {
                worst = diff;
                at = i;
            }
        }
        if (worst > tol * scale) {
            throw new AssertionError(what + ": max |diff| " + worst + " at " + at + " (expected " + expected[at]
                    + ", got " + actual[at] + ") exceeds " + tol + " * " + scale);
        }
    }
}
