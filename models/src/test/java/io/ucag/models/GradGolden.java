package io.ucag.models;

import io.ucag.runtime.golden.GoldenManifest;
import io.ucag.runtime.io.NpyArray;
import java.util.LinkedHashMap;
import java.util.Map;
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
        GoldenManifest golden = new GoldenManifest("/golden/grads/" + net + "/", "make_grad_goldens.py");
        Map<String, NpyArray> parameters = new LinkedHashMap<>();
        Map<String, NpyArray> tensors = new LinkedHashMap<>();
        Map<String, NpyArray> parameterGradients = new LinkedHashMap<>();
        TreeMap<Integer, Integer> targets = new TreeMap<>();
        String activation = null;
        NpyArray activationGradient = null;
        for (String[] f : golden.lines()) {
            switch (f[0]) {
                case "target" -> targets.put(Integer.parseInt(f[1]), Integer.parseInt(f[2]));
                case "param" -> parameters.put(f[1], golden.npy(f[2]));
                case "tensor" -> tensors.put(f[1], golden.npy(f[2]));
                case "grad" -> parameterGradients.put(f[1], golden.npy(f[2]));
                case "activation" -> {
                    activation = f[1];
                    activationGradient = golden.npy(f[2]);
                }
                default -> throw golden.unknown(f);
            }
        }
        NpyArray inputGradient = parameterGradients.remove("input");
        return new GradGolden(parameters, tensors.get("input"), tensors.get("logits"), GoldenManifest.targets(targets),
                activation, activationGradient, inputGradient, parameterGradients);
    }

    /** The state_dict as model weights. */
    Parameters weights() {
        return Parameters.of(GoldenManifest.shapes(parameters), GoldenManifest.values(parameters));
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
}
