package io.ucag.kernels.onnx;

import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.weights.onnx.OnnxDataType;
import io.ucag.weights.onnx.OnnxNode;
import io.ucag.weights.onnx.OnnxTensor;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * What an op mapping sees of one node test: the device, the node with its attributes, the operator set version,
 * and the input values (uploaded on request). Everything the runtime cannot take is reported as an
 * {@link UnsupportedCase} naming the input or attribute.
 */
final class NodeContext {
    private final Device device;
    private final OnnxNode node;
    private final long opset;
    private final List<OnnxTensor> inputs; // by node input position; null where omitted

    NodeContext(Device device, OnnxNode node, long opset, List<OnnxTensor> inputs) {
        this.device = device;
        this.node = node;
        this.opset = opset;
        this.inputs = inputs;
    }

    Device device() {
        return device;
    }

    OnnxNode node() {
        return node;
    }

    long opset() {
        return opset;
    }

    /** Fails the mapping for any attribute outside {@code handled}: none may be silently ignored. */
    void requireOnlyAttributes(Set<String> handled) {
        for (String name : node.attributes().keySet()) {
            if (!handled.contains(name)) {
                throw new UnsupportedCase("attribute", node.attribute(name) + " is not handled for "
                        + node.opType());
            }
        }
    }

    boolean has(int input) {
        return input < inputs.size() && inputs.get(input) != null;
    }

    /** The dimensions of input {@code input} as ONNX gives them (empty for a scalar). */
    int[] dims(int input) {
        return value(input).intDims();
    }

    /** Input {@code input} on the device; a scalar becomes shape (1). Only FLOAT data is accepted. */
    Tensor tensor(int input) {
        OnnxTensor t = value(input);
        requireFloat(t, "input");
        int[] dims = t.intDims();
        return device.fromArray(dims.length == 0 ? Shape.of(1) : Shape.of(dims), t.floats());
    }

    /** The FLOAT values of a host-side input (a scalar bound, scales). */
    float[] floats(int input) {
        OnnxTensor t = value(input);
        requireFloat(t, "input");
        return t.floats();
    }

    /** The integer values of a host-side input (pads, axes, sizes). */
    long[] longs(int input) {
        OnnxTensor t = value(input);
        if (!t.type().isInteger()) {
            throw new IllegalStateException(node.opType() + ": input " + input + " is " + t.type() + ", expected ints");
        }
        return t.longs();
    }

    long intAttribute(String name, long fallback) {
        return node.intAttribute(name, fallback);
    }

    float floatAttribute(String name, float fallback) {
        return node.floatAttribute(name, fallback);
    }

    String stringAttribute(String name, String fallback) {
        return node.stringAttribute(name, fallback);
    }

    long[] intsAttribute(String name, long[] fallback) {
        return node.intsAttribute(name, fallback);
    }

    /** Throws an {@link UnsupportedCase} unless {@code t} (an input or expected output) holds float32 data. */
    static void requireFloat(OnnxTensor t, String role) {
        if (t.type() == OnnxDataType.FLOAT) {
            return;
        }
        String what = role + " '" + t.name() + "' is " + t.type() + Arrays.toString(t.dims())
                + " (the runtime computes in float32)";
        throw new UnsupportedCase(t.type().isInteger() ? "integer types" : "non-float32 types", what);
    }

    private OnnxTensor value(int input) {
        if (!has(input)) {
            throw new IllegalStateException(node.opType() + ": input " + input + " is not given");
        }
        return inputs.get(input);
    }
}
