package io.ucag.explain;

import io.ucag.models.Model;
import io.ucag.models.Parameters;
import io.ucag.runtime.Device;
import io.ucag.runtime.io.Npy;
import io.ucag.runtime.io.NpyArray;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
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
    private static final String DIR = "/golden/relative/";

    static RelativeGolden load(String net) {
        Map<String, NpyArray> parameters = new LinkedHashMap<>();
        Map<String, NpyArray> tensors = new LinkedHashMap<>();
        Map<String, NpyArray> maps = new LinkedHashMap<>();
        TreeMap<Integer, Integer> targets = new TreeMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(resource(DIR + "manifest.txt"),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split(" ");
                if (!f[1].equals(net)) {
                    continue;
                }
                switch (f[0]) {
                    case "target" -> targets.put(Integer.parseInt(f[2]), Integer.parseInt(f[3]));
                    case "param" -> parameters.put(f[2], npy(DIR + f[3]));
                    case "tensor" -> tensors.put(f[2], npy(DIR + f[3]));
                    case "map" -> maps.put(f[2], npy(DIR + f[3]));
                    default -> throw new IllegalStateException(DIR + "manifest.txt: unknown line '" + line + "'");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (parameters.isEmpty()) {
            throw new IllegalStateException(DIR + "manifest.txt has no net '" + net + "'");
        }
        return new RelativeGolden(net, parameters, tensors.get("input"), tensors.get("logits"),
                targets.values().stream().mapToInt(Integer::intValue).toArray(), maps);
    }

    Model model(Device device) {
        return Model.load(RelativeNets.spec(net), new Parameters() {
            @Override
            public Set<String> names() {
                return parameters.keySet();
            }

            @Override
            public int[] shape(String name) {
                return parameters.get(name).shape().clone();
            }

            @Override
            public float[] data(String name) {
                return parameters.get(name).data();
            }
        }, device);
    }

    private static NpyArray npy(String path) throws IOException {
        try (InputStream in = resource(path)) {
            return Npy.read(in, path);
        }
    }

    private static InputStream resource(String path) throws IOException {
        InputStream in = RelativeGolden.class.getResourceAsStream(path);
        if (in == null) {
            throw new IOException("missing test resource " + path + ": run make_relative_goldens.py");
        }
        return in;
    }
}
