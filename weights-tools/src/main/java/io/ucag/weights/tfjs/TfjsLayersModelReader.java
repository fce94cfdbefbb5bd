package io.ucag.weights.tfjs;

import io.ucag.weights.DType;
import io.ucag.weights.NamedTensor;
import io.ucag.weights.WeightSet;
import io.ucag.weights.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;

/**
 * Reads the weights of a TensorFlow.js "layers model": {@code model.json} and its binary shards.
 *
 * <p>{@code weightsManifest} is a list of groups, each with {@code paths} (shard files next to model.json) and
 * {@code weights} ({@code name, shape, dtype}). A group's shards, concatenated in {@code paths} order, hold its
 * tensors back to back in manifest order as raw little-endian values. Names and layouts stay as TensorFlow's
 * ({@code conv1/kernel} is HWIO, {@code fc1000/kernel} is [in,out]); see {@link io.ucag.weights.Layouts}.
 * The model.json's {@code format}, {@code generatedBy} and {@code convertedBy} become metadata.
 */
public final class TfjsLayersModelReader {
    private TfjsLayersModelReader() {
    }

    /** True when a JSON text looks like a TF.js model (cheap check on the first kilobytes). */
    public static boolean looksLikeModelJson(String head) {
        return head.stripLeading().startsWith("{") && (head.contains("\"weightsManifest\"")
                || head.contains("\"modelTopology\"") || head.contains("\"format\""));
    }

    public static WeightSet read(Path modelJson) throws IOException {
        Object parsed;
        try {
            parsed = Json.parse(Files.readString(modelJson, StandardCharsets.UTF_8));
        } catch (Json.JsonException e) {
            throw new IOException(modelJson + ": " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> model) || !(model.get("weightsManifest") instanceof List<?> groups)) {
            throw new IOException(modelJson + ": no \"weightsManifest\" list: not a TF.js layers model");
        }
        WeightSet set = new WeightSet();
        for (String[] field : new String[][] {{"format", "tfjs_format"}, {"generatedBy", "tfjs_generated_by"},
                {"convertedBy", "tfjs_converted_by"}}) {
            if (model.get(field[0]) instanceof String value) {
                set.putMetadata(field[1], value);
            }
        }
        for (int g = 0; g < groups.size(); g++) {
            readGroup(modelJson, g, groups.get(g), set);
        }
        return set;
    }

    private record WeightSpec(String name, int[] shape, DType dtype, long bytes) {
    }

    private static void readGroup(Path modelJson, int index, Object group, WeightSet set) throws IOException {
        String where = modelJson + ": weightsManifest[" + index + "]";
        if (!(group instanceof Map<?, ?> g) || !(g.get("paths") instanceof List<?> paths)
                || !(g.get("weights") instanceof List<?> weights)) {
            throw new IOException(where + " lacks \"paths\" or \"weights\"");
        }
        List<WeightSpec> specs = new ArrayList<>();
        long needed = 0;
        for (Object w : weights) {
            WeightSpec spec = spec(where, w);
            specs.add(spec);
            needed += spec.bytes();
        }
        List<Path> shards = new ArrayList<>();
        long available = 0;
        for (Object p : paths) {
            if (!(p instanceof String name)) {
                throw new IOException(where + ": a shard path is not a string");
            }
            Path shard = modelJson.toAbsolutePath().getParent().resolve(name);
            if (!Files.isRegularFile(shard)) {
                throw new NoSuchFileException(shard.toString(), null, "shard listed in " + modelJson + " is missing");
            }
            shards.add(shard);
            available += Files.size(shard);
        }
        if (available < needed) {
            throw new IOException(truncationMessage(where, specs, shards, needed, available));
        }
        if (available > needed) {
            throw new IOException(where + ": the shards hold " + available + " bytes but the manifest's weights"
                    + " need " + needed + ": the shards do not belong to this model.json");
        }
        try (InputStream in = concatenated(shards)) {
            for (WeightSpec spec : specs) {
                float[] values = new float[(int) NamedTensor.numel(spec.shape())];
                spec.dtype().read(in, values, where + " tensor '" + spec.name() + "'");
                try {
                    set.add(new NamedTensor(spec.name(), spec.shape(), values, spec.dtype()));
                } catch (IllegalArgumentException e) {
                    throw new IOException(where + ": " + e.getMessage());
                }
            }
        }
    }

    private static WeightSpec spec(String where, Object w) throws IOException {
        if (!(w instanceof Map<?, ?> m) || !(m.get("name") instanceof String name)
                || !(m.get("shape") instanceof List<?> shapeList) || !(m.get("dtype") instanceof String dtypeName)) {
            throw new IOException(where + ": weight entry " + w + " lacks name, shape or dtype");
        }
        if (m.get("quantization") != null) {
            throw new IOException(where + ": tensor '" + name + "' is quantized; quantized TF.js weights are not"
                    + " supported");
        }
        DType dtype = switch (dtypeName) {
            case "float32" -> DType.F32;
            case "int32" -> DType.I32;
            default -> throw new IOException(where + ": tensor '" + name + "' has unsupported dtype " + dtypeName);
        };
        int[] shape = new int[shapeList.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!(shapeList.get(i) instanceof Long d) || d < 0 || d > Integer.MAX_VALUE) {
                throw new IOException(where + ": tensor '" + name + "' has a bad shape " + shapeList);
            }
            shape[i] = (int) (long) d;
        }
        long numel = NamedTensor.numel(shape);
        if (numel > Integer.MAX_VALUE - 8) {
            throw new IOException(where + ": tensor '" + name + "' is too large for one Java array");
        }
        return new WeightSpec(name, shape, dtype, numel * dtype.byteSize());
    }

    /**
     * Names the shard that is short. The converter cuts every shard but the last at the same size, so a
     * shard smaller than the first one (before the last) is the culprit; otherwise it is the last shard.
     */
    private static String truncationMessage(String where, List<WeightSpec> specs, List<Path> shards, long needed,
                                            long available) throws IOException {
        Path culprit = shards.isEmpty() ? null : shards.get(shards.size() - 1);
        for (int i = 1; i < shards.size() - 1; i++) {
            if (Files.size(shards.get(i)) < Files.size(shards.get(0))) {
                culprit = shards.get(i);
                break;
            }
        }
        long end = 0;
        String firstMissing = "?";
        for (WeightSpec s : specs) {
            end += s.bytes();
            if (end > available) {
                firstMissing = s.name();
                break;
            }
        }
        return where + ": shard " + (culprit == null ? "(none listed)" : culprit.getFileName()) + " is truncated"
                + " or missing data: the weights need " + needed + " bytes, the " + shards.size() + " shards hold "
                + available + " (" + (needed - available) + " missing; tensor '" + firstMissing
                + "' and those after it are incomplete)";
    }

    private static InputStream concatenated(List<Path> shards) throws IOException {
        List<InputStream> streams = new ArrayList<>();
        try {
            for (Path p : shards) {
                streams.add(new java.io.BufferedInputStream(Files.newInputStream(p), 1 << 16));
            }
        } catch (IOException e) {
            for (InputStream s : streams) {
                s.close();
            }
            throw e;
        }
        Enumeration<InputStream> e = Collections.enumeration(streams);
        return new SequenceInputStream(e);
    }
}
