package io.ucag.explain;

import io.ucag.models.Model;
import io.ucag.models.ModelSpec;
import io.ucag.models.Parameters;
import io.ucag.models.Preprocessing;
import io.ucag.models.layers.Layer;
import io.ucag.runtime.Device;
import io.ucag.runtime.golden.GoldenManifest;
import io.ucag.runtime.io.NpyArray;
import io.ucag.runtime.ops.Conv2dParams;
import io.ucag.runtime.ops.Pool2dParams;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The raw-map goldens of {@code ucag/src/test/fixtures/make_cam_goldens.py} (under {@code /golden/cams/}): a tiny
 * CNN's state_dict, an input batch, its logits and targets, the CAM layer, the method options and each method's map.
 *
 * @param parameters state_dict name -> values
 * @param input      (N,3,H,W)
 * @param logits     (N,classes)
 * @param targets    class explained for each batch item
 * @param layer      the CAM target layer
 * @param options    method parameters the maps were made with (ig-steps, smoothgrad-samples ...)
 * @param maps       method -> raw map (N,1,H,W)
 * @param weights    Score-CAM variant -> channel weights (N,C)
 */
record MethodGolden(Map<String, NpyArray> parameters, NpyArray input, NpyArray logits, int[] targets, String layer,
                    Map<String, String> options, Map<String, NpyArray> maps, Map<String, NpyArray> weights) {
    /** The fixture net: TinyModels' CNN with a BatchNorm after the first convolution (torchvision names). */
    static ModelSpec spec() {
        Layer.Sequential root = new Layer.Sequential("", List.of(
                new Layer.Sequential("features", List.of(
                        new Layer.Conv2d("features.0", 3, 6, 3, 3, Conv2dParams.of(1, 1), true),
                        new Layer.BatchNorm2d("features.1", 6, 1e-5f),
                        new Layer.ReLU("features.2"),
                        new Layer.MaxPool2d("features.3", Pool2dParams.of(2, 2, 0)),
                        new Layer.Conv2d("features.4", 6, 8, 3, 3, Conv2dParams.of(1, 1), true),
                        new Layer.ReLU("features.5"))),
                new Layer.AdaptiveAvgPool2d("avgpool", 1, 1),
                new Layer.Flatten("flatten"),
                new Layer.Linear("fc", 8, 5)));
        return new ModelSpec("tiny-bn", root, 16, Preprocessing.TORCHVISION, 5, "features.5");
    }

    static MethodGolden load() {
        GoldenManifest golden = new GoldenManifest("/golden/cams/", "make_cam_goldens.py");
        Map<String, NpyArray> parameters = new LinkedHashMap<>();
        Map<String, NpyArray> tensors = new LinkedHashMap<>();
        Map<String, NpyArray> maps = new LinkedHashMap<>();
        Map<String, NpyArray> weights = new LinkedHashMap<>();
        Map<String, String> options = new LinkedHashMap<>();
        TreeMap<Integer, Integer> targets = new TreeMap<>();
        String layer = null;
        for (String[] f : golden.lines()) {
            switch (f[0]) {
                case "target" -> targets.put(Integer.parseInt(f[1]), Integer.parseInt(f[2]));
                case "layer" -> layer = f[1];
                case "option" -> options.put(f[1], f[2]);
                case "param" -> parameters.put(f[1], golden.npy(f[2]));
                case "tensor" -> tensors.put(f[1], golden.npy(f[2]));
                case "map" -> maps.put(f[1], golden.npy(f[2]));
                case "weights" -> weights.put(f[1], golden.npy(f[2]));
                default -> throw golden.unknown(f);
            }
        }
        return new MethodGolden(parameters, tensors.get("input"), tensors.get("logits"),
                GoldenManifest.targets(targets), layer, options, maps, weights);
    }

    Model model(Device device) {
        return Model.load(spec(), Parameters.of(GoldenManifest.shapes(parameters), GoldenManifest.values(parameters)),
                device);
    }

    int intOption(String name) {
        return Integer.parseInt(options.get(name));
    }

    double doubleOption(String name) {
        return Double.parseDouble(options.get(name));
    }
}
