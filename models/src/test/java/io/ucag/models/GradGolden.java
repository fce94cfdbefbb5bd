package io.ucag.models;

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
 * One net's whole-network gradient goldens from torch autograd (written by
 * {@code models/src/test/fixtures/make_grad_goldens.py} under {@code /golden/grads/<net>/}): the state_dict,
 * an input batch, its logits, the backward seed's target classes and the reference gradients.
 *
 * @param parameters         state_dict name -> values (a {@link Parameters} for {@link Model#load})
 * @param input              (N,3,H,W)
 * @param logits             (N,classes)
 * @param targets            per batch item, the class its one-hot seed selects
 * @param activation         the layer whose output gradient {@link #activationGradient} is
 * @param activationGradient gradient w.r.t. that layer's output
 * @param inputGradient      gradient w.r.t. {@link #input}
 * @param parameterGradients state_dict name -> gradient w.r.t. that parameter (a few of them)
 */
record GradGolden(Map<String, NpyArray> parameters, NpyArray input, NpyArray logits, int[] targets, String activation,
                  NpyArray activationGradient, NpyArray inputGradient, Map<String, NpyArray> parameterGradients) {

    static GradGolden load(String net) {
        String dir = "/golden/grads/" + net + "/";
        Map<String, NpyArray> parameters = new LinkedHashMap<>();
        Map<String, NpyArray> tensors = new LinkedHashMap<>();
        Map<String, NpyArray> parameterGradients = new LinkedHashMap<>();
        TreeMap<Integer, Integer> targets = new TreeMap<>();
        String activation = null;
        NpyArray activationGradient = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(resource(dir + "manifest.txt"),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split(" ");
                switch (f[0]) {
                    case "target" -> targets.put(Integer.parseInt(f[1]), Integer.parseInt(f[2]));
                    case "param" -> parameters.put(f[1], npy(dir + f[2]));
                    case "tensor" -> tensors.put(f[1], npy(dir + f[2]));
                    case "grad" -> parameterGradients.put(f[1], npy(dir + f[2]));
                    case "activation" -> {
                        activation = f[1];
                        activationGradient = npy(dir + f[2]);
                    }
                    default -> throw new IllegalStateException(dir + "manifest.txt: unknown line '" + line + "'");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        NpyArray inputGradient = parameterGradients.remove("input");
        return new GradGolden(parameters, tensors.get("input"), tensors.get("logits"),
                targets.values().stream().mapToInt(Integer::intValue).toArray(), activation, activationGradient,
                inputGradient, parameterGradients);
    }

    /** The state_dict as model weights. */
    Parameters weights() {
        return new Parameters() {
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
        };
    }

    /** The backward seed: one-hot (N,classes) on each batch item's target. */
    float[] seed() {
        int classes = logits.shape()[1];
        float[] seed = new float[logits.data().length];
        for (int n = 0; n < targets.length; n++) {
            seed[n * classes + targets[n]] = 1;
        }
        return seed;
    }

    private static NpyArray npy(String path) throws IOException {
        try (InputStream in = resource(path)) {
            return Npy.read(in, path);
        }
    }

    private static InputStream resource(String path) throws IOException {
        InputStream in = GradGolden.class.getResourceAsStream(path);
        if (in == null) {
            throw new IOException("missing test resource " + path + ": run make_grad_goldens.py");
        }
        return in;
    }
}
