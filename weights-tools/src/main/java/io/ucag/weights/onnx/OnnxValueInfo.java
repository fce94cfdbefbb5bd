package io.ucag.weights.onnx;

/**
 * A {@code ValueInfoProto} of a graph input or output: its name and, for tensor types, the element type and
 * shape.
 *
 * @param name     the value's name
 * @param elemType the element type, or null when the value is not a tensor or the type is not given
 * @param dims     the dimensions, -1 where symbolic or unknown; null when no shape is given
 */
public record OnnxValueInfo(String name, OnnxDataType elemType, long[] dims) {
}
