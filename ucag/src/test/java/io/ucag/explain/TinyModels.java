package io.ucag.explain;

import io.ucag.models.Model;
import io.ucag.models.ModelSpec;
import io.ucag.models.Parameters;
import io.ucag.models.Preprocessing;
import io.ucag.models.layers.Layer;
import io.ucag.models.layers.Layers;
import io.ucag.runtime.Device;
import io.ucag.runtime.ops.Conv2dParams;
import io.ucag.runtime.ops.Pool2dParams;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** A small seeded CNN (conv-relu-pool-conv-relu, global pool, linear) for explanation tests. */
final class TinyModels {
    static final int CLASSES = 5;

    private TinyModels() {
    }

    static ModelSpec spec() {
        Layer.Sequential root = new Layer.Sequential("", List.of(
                new Layer.Sequential("features", List.of(
                        new Layer.Conv2d("features.0", 3, 6, 3, 3, Conv2dParams.of(1, 1), true),
                        new Layer.ReLU("features.1"),
                        new Layer.MaxPool2d("features.2", Pool2dParams.of(2, 2, 0)),
                        new Layer.Conv2d("features.3", 6, 8, 3, 3, Conv2dParams.of(1, 1), true),
                        new Layer.ReLU("features.4"))),
                new Layer.AdaptiveAvgPool2d("avgpool", 1, 1),
                new Layer.Flatten("flatten"),
                new Layer.Linear("fc", 8, CLASSES)));
        return new ModelSpec("tiny", root, 32, Preprocessing.TORCHVISION, CLASSES, "features.4");
    }

    /** The tiny model with weights drawn from {@code seed} (uniform, scaled by fan-in), on {@code device}. */
    static Model load(Device device, long seed) {
        return load(spec(), device, seed);
    }

    /** Any spec with weights drawn from {@code seed} (uniform, scaled by fan-in), on {@code device}. */
    static Model load(ModelSpec spec, Device device, long seed) {
        Map<String, int[]> shapes = Layers.parameterShapes(spec.root());
        Random rng = new Random(seed);
        Map<String, float[]> values = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, int[]> e : shapes.entrySet()) {
            int n = Arrays.stream(e.getValue()).reduce(1, (a, b) -> a * b);
            int fanIn = e.getValue().length > 1 ? n / e.getValue()[0] : 1;
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = (float) ((rng.nextDouble() * 2 - 1) / Math.sqrt(fanIn));
            }
            values.put(e.getKey(), v);
        }
        return Model.load(spec, Parameters.of(shapes, values), device);
    }

    static float[] randomImages(Random rng, int count, int side) {
        float[] v = new float[count * 3 * side * side];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        return v;
    }
}
