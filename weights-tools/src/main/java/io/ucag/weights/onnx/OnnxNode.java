package io.ucag.weights.onnx;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code NodeProto}: one operator application. An omitted optional input appears as an empty name in
 * {@code inputs} (ONNX's convention), so input positions keep their meaning.
 *
 * @param name       the node's name (may be empty)
 * @param opType     the operator, e.g. {@code Conv}
 * @param domain     the operator set domain; empty for the default {@code ai.onnx}
 * @param inputs     input value names by position
 * @param outputs    output value names by position
 * @param attributes the attributes by name, in file order
 */
public record OnnxNode(String name, String opType, String domain, List<String> inputs, List<String> outputs,
                       Map<String, OnnxAttribute> attributes) {
    public OnnxNode {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    /** The attribute, or null when the node does not set it. */
    public OnnxAttribute attribute(String attributeName) {
        return attributes.get(attributeName);
    }

    /** An INT attribute, or {@code fallback} when absent. */
    public long intAttribute(String attributeName, long fallback) {
        OnnxAttribute a = attributes.get(attributeName);
        return a == null ? fallback : a.asInt();
    }

    /** A FLOAT attribute, or {@code fallback} when absent. */
    public float floatAttribute(String attributeName, float fallback) {
        OnnxAttribute a = attributes.get(attributeName);
        return a == null ? fallback : a.asFloat();
    }

    /** A STRING attribute, or {@code fallback} when absent. */
    public String stringAttribute(String attributeName, String fallback) {
        OnnxAttribute a = attributes.get(attributeName);
        return a == null ? fallback : a.asString();
    }

    /** An INTS attribute, or {@code fallback} (may be null) when absent. */
    public long[] intsAttribute(String attributeName, long[] fallback) {
        OnnxAttribute a = attributes.get(attributeName);
        return a == null ? fallback : a.asInts();
    }

    /** Whether input {@code index} is present (given and not the empty name of an omitted optional input). */
    public boolean hasInput(int index) {
        return index < inputs.size() && !inputs.get(index).isEmpty();
    }
}
