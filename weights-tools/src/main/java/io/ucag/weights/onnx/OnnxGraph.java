package io.ucag.weights.onnx;

import java.util.List;

/**
 * A {@code GraphProto}: the nodes in topological order, the constant tensors (initializers), and the graph's
 * inputs and outputs.
 */
public record OnnxGraph(String name, List<OnnxNode> nodes, List<OnnxTensor> initializers,
                        List<OnnxValueInfo> inputs, List<OnnxValueInfo> outputs) {
    public OnnxGraph {
        nodes = List.copyOf(nodes);
        initializers = List.copyOf(initializers);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }
}
