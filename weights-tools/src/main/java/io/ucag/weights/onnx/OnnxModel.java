package io.ucag.weights.onnx;

import java.util.Map;

/**
 * A {@code ModelProto}: format and producer identity, the operator sets it imports, and its graph.
 *
 * @param irVersion       the ONNX IR version of the file
 * @param producerName    the writing tool (may be empty)
 * @param producerVersion its version (may be empty)
 * @param opsetImports    operator set version by domain; the default domain {@code ai.onnx} is the empty key
 * @param graph           the main graph
 */
public record OnnxModel(long irVersion, String producerName, String producerVersion, Map<String, Long> opsetImports,
                        OnnxGraph graph) {
    public OnnxModel {
        opsetImports = Map.copyOf(opsetImports);
    }

    /** The imported version of {@code domain} ({@code ""} or {@code "ai.onnx"} for the default), or -1. */
    public long opsetVersion(String domain) {
        String key = "ai.onnx".equals(domain) ? "" : domain;
        Long v = opsetImports.get(key);
        return v == null ? -1 : v;
    }
}
