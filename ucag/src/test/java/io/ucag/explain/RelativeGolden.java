package io.ucag.explain;

import io.ucag.models.Model;
import io.ucag.models.Parameters;
import io.ucag.runtime.Device;
import io.ucag.runtime.golden.GoldenManifest;
import io.ucag.runtime.io.NpyArray;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The goldens of {@code ucag/src/test/fixtures/make_relative_goldens.py} (under {@code /golden/relative/}) for one
 * of its nets ({@code vgg}, {@code resnet}; see {@link RelativeNets}).
 *
 * @param net        the net's name in the manifest
 * @param parameters state_dict name -> values
 * @param input      (N,3,H,W)
 * @param logits     (N,classes)
 * @param targets    class explained for each batch item
 * @param maps       method -> raw map (N,1,H,W)
 */
record RelativeGolden(String net, Map<String, NpyArray> parameters, NpyArray input, NpyArray logits, int[] targets,
                      Map<String, NpyArray> maps) {
    static RelativeGolden load(String net) {
        GoldenManifest golden = new GoldenManifest("/golden/relative/", "make_relative_goldens.py");
        Map<String, NpyArray> parameters = new LinkedHashMap<>();
        Map<String, NpyArray> tensors = new LinkedHashMap<>();
        Map<String, NpyArray> maps = new LinkedHashMap<>();
        TreeMap<Integer, Integer> targets = new TreeMap<>();
        for (String[] f : golden.lines()) {
            if (!f[1].equals(net)) {
                continue;
            }
            switch (f[0]) {
                case "target" -> targets.put(Integer.parseInt(f[2]), Integer.parseInt(f[3]));
                case "param" -> parameters.put(f[2], golden.npy(f[3]));
                case "tensor" -> tensors.put(f[2], golden.npy(f[3]));
                case "map" -> maps.put(f[2], golden.npy(f[3]));
                default -> throw golden.unknown(f);
            }
        }
        if (parameters.isEmpty()) {
            throw new IllegalStateException(golden.dir() + "manifest.txt has no net '" + net + "'");
        }
        return new RelativeGolden(net, parameters, tensors.get("input"), tensors.get("logits"),
                GoldenManifest.targets(targets), maps);
    }

    Model model(Device device) {
        return Model.load(RelativeNets.spec(net),
                Parameters.of(GoldenManifest.shapes(parameters), GoldenManifest.values(parameters)), device);
    }
}
