package io.ucag.weights.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads ONNX files: {@code .onnx} models ({@code ModelProto}) and serialised tensors ({@code TensorProto},
 * e.g. the {@code input_0.pb} files of ONNX's backend tests). Field numbers follow onnx.proto (IR version 8,
 * ONNX 1.12); unknown fields are skipped, as protobuf requires.
 *
 * <p>Supported: every numeric tensor type stored in {@code raw_data} or in its typed field ({@code float_data},
 * {@code int32_data}, {@code int64_data}, {@code double_data}, {@code uint64_data}), attributes of every type
 * but sparse tensors and type protos (kept with a null value), nested graphs. Rejected with an
 * {@link IOException} naming the file: STRING tensors, segmented tensors, external data, sparse initializers,
 * and malformed wire data. Files are read whole, so they must be under 2 GiB (as protobuf itself requires).
 */
public final class OnnxReader {
    private OnnxReader() {
    }

    public static OnnxModel readModel(Path file) throws IOException {
        return parseModel(Files.readAllBytes(file), file.toString());
    }

    public static OnnxTensor readTensor(Path file) throws IOException {
        return parseTensor(Files.readAllBytes(file), file.toString());
    }

    /** Parses a serialised {@code ModelProto}; {@code source} names it in error messages. */
    public static OnnxModel parseModel(byte[] bytes, String source) throws IOException {
        ProtoReader in = new ProtoReader(bytes, source);
        long irVersion = 0;
        String producerName = "";
        String producerVersion = "";
        Map<String, Long> opsets = new HashMap<>();
        OnnxGraph graph = null;
        while (in.hasMore()) {
            switch (in.nextField()) {
                case 1 -> irVersion = in.readVarint();
                case 2 -> producerName = in.readString();
                case 3 -> producerVersion = in.readString();
                case 7 -> graph = graph(in.readMessage());
                case 8 -> opsetImport(in.readMessage(), opsets);
                default -> in.skipField();
            }
        }
        if (graph == null) {
            throw new IOException(source + ": the model has no graph");
        }
        return new OnnxModel(irVersion, producerName, producerVersion, opsets, graph);
    }

    /** Parses a serialised {@code TensorProto}; {@code source} names it in error messages. */
    public static OnnxTensor parseTensor(byte[] bytes, String source) throws IOException {
        return tensor(new ProtoReader(bytes, source));
    }

    private static void opsetImport(ProtoReader in, Map<String, Long> opsets) throws IOException {
        String domain = "";
        long version = 0;
        while (in.hasMore()) {
            switch (in.nextField()) {
                case 1 -> domain = in.readString();
                case 2 -> version = in.readVarint();
                default -> in.skipField();
            }
        }
        opsets.put("ai.onnx".equals(domain) ? "" : domain, version);
    }

    private static OnnxGraph graph(ProtoReader in) throws IOException {
        String name = "";
        List<OnnxNode> nodes = new ArrayList<>();
        List<OnnxTensor> initializers = new ArrayList<>();
        List<OnnxValueInfo> inputs = new ArrayList<>();
        List<OnnxValueInfo> outputs = new ArrayList<>();
        while (in.hasMore()) {
            switch (in.nextField()) {
                case 1 -> nodes.add(node(in.readMessage()));
                case 2 -> name = in.readString();
                case 5 -> initializers.add(tensor(in.readMessage()));
                case 11 -> inputs.add(valueInfo(in.readMessage()));
                case 12 -> outputs.add(valueInfo(in.readMessage()));
                case 15 -> throw in.error("graph '" + name + "': sparse initializers are not supported");
                default -> in.skipField();
            }
        }
        return new OnnxGraph(name, nodes, initializers, inputs, outputs);
    }

    private static OnnxNode node(ProtoReader in) throws IOException {
        String name = "";
        String opType = "";
        String domain = "";
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        Map<String, OnnxAttribute> attributes = new LinkedHashMap<>();
        while (in.hasMore()) {
            switch (in.nextField()) {
                case 1 -> inputs.add(in.readString());
                case 2 -> outputs.add(in.readString());
                case 3 -> name = in.readString();
                case 4 -> opType = in.readString();
                case 5 -> {
                    OnnxAttribute a = attribute(in.readMessage());
                    attributes.put(a.name(), a);
                }
                case 7 -> domain = in.readString();
                default -> in.skipField();
            }
        }
        return new OnnxNode(name, opType, "ai.onnx".equals(domain) ? "" : domain, inputs, outputs, attributes);
    }

    private static OnnxAttribute attribute(ProtoReader in) throws IOException {
        String name = "";
        int typeCode = 0;
        Map<OnnxAttribute.Type, Object> seen = new HashMap<>(); // value per field kind, for old files without type
        LongList floats = new LongList();
        LongList ints = new LongList();
        List<String> strings = new ArrayList<>();
        List<OnnxTensor> tensors = new ArrayList<>();
        List<OnnxGraph> graphs = new ArrayList<>();
        while (in.hasMore()) {
            switch (in.nextField()) {
                case 1 -> name = in.readString();
                case 20 -> typeCode = in.readInt32();
                case 2 -> seen.put(OnnxAttribute.Type.FLOAT, in.readFloat());
                case 3 -> seen.put(OnnxAttribute.Type.INT, in.readVarint());
                case 4 -> seen.put(OnnxAttribute.Type.STRING, in.readString());
                case 5 -> seen.put(OnnxAttribute.Type.TENSOR, tensor(in.readMessage()));
                case 6 -> seen.put(OnnxAttribute.Type.GRAPH, graph(in.readMessage()));
                case 7 -> in.readRepeatedFixed32(floats::add);
                case 8 -> in.readRepeatedVarints(ints::add);
                case 9 -> strings.add(in.readString());
                case 10 -> tensors.add(tensor(in.readMessage()));
                case 11 -> graphs.add(graph(in.readMessage()));
                default -> in.skipField();
            }
        }
        float[] floatValues = new float[floats.size()];
        for (int i = 0; i < floatValues.length; i++) {
            floatValues[i] = Float.intBitsToFloat((int) floats.get(i));
        }
        seen.put(OnnxAttribute.Type.FLOATS, floatValues);
        seen.put(OnnxAttribute.Type.INTS, ints.toArray());
        seen.put(OnnxAttribute.Type.STRINGS, List.copyOf(strings));
        seen.put(OnnxAttribute.Type.TENSORS, List.copyOf(tensors));
        seen.put(OnnxAttribute.Type.GRAPHS, List.copyOf(graphs));
        OnnxAttribute.Type type = OnnxAttribute.Type.ofCode(typeCode);
        if (type == null) {
            throw in.error("attribute '" + name + "' has unknown type " + typeCode);
        }
        if (type == OnnxAttribute.Type.UNDEFINED) {
            type = inferType(name, seen, in);
        }
        return new OnnxAttribute(name, type, seen.get(type));
    }

    /** Files before IR version 2 may omit the type: the one singular field that is set tells it. */
    private static OnnxAttribute.Type inferType(String name, Map<OnnxAttribute.Type, Object> seen, ProtoReader in)
            throws IOException {
        for (OnnxAttribute.Type t : List.of(OnnxAttribute.Type.FLOAT, OnnxAttribute.Type.INT,
                OnnxAttribute.Type.STRING, OnnxAttribute.Type.TENSOR, OnnxAttribute.Type.GRAPH)) {
            if (seen.containsKey(t)) {
                return t;
            }
        }
        if (((float[]) seen.get(OnnxAttribute.Type.FLOATS)).length > 0) {
            return OnnxAttribute.Type.FLOATS;
        }
        if (((long[]) seen.get(OnnxAttribute.Type.INTS)).length > 0) {
            return OnnxAttribute.Type.INTS;
        }
        for (OnnxAttribute.Type t : List.of(OnnxAttribute.Type.STRINGS, OnnxAttribute.Type.TENSORS,
                OnnxAttribute.Type.GRAPHS)) {
            if (!((List<?>) seen.get(t)).isEmpty()) {
                return t;
            }
        }
        throw in.error("attribute '" + name + "' has neither a type nor a value");
    }

    private static OnnxValueInfo valueInfo(ProtoReader in) throws IOException {
        String name = "";
        OnnxDataType elemType = null;
        long[] dims = null;
        while (in.hasMore()) {
            switch (in.nextField()) {
                case 1 -> name = in.readString();
                case 2 -> {
                    ProtoReader type = in.readMessage();
                    while (type.hasMore()) {
                        if (type.nextField() == 1) { // tensor_type
                            ProtoReader tensorType = type.readMessage();
                            while (tensorType.hasMore()) {
                                switch (tensorType.nextField()) {
                                    case 1 -> elemType = OnnxDataType.ofCode(tensorType.readInt32());
                                    case 2 -> dims = shape(tensorType.readMessage());
                                    default -> tensorType.skipField();
                                }
                            }
                        } else {
                            type.skipField();
                        }
                    }
                }
                default -> in.skipField();
            }
        }
        return new OnnxValueInfo(name, elemType, dims);
    }

    private static long[] shape(ProtoReader in) throws IOException {
        LongList dims = new LongList();
        while (in.hasMore()) {
            if (in.nextField() == 1) {
                ProtoReader dim = in.readMessage();
                long value = -1; // a dim_param (symbolic) or nothing: unknown
                while (dim.hasMore()) {
                    if (dim.nextField() == 1) {
                        value = dim.readVarint();
                    } else {
                        dim.skipField();
                    }
                }
                dims.add(value);
            } else {
                in.skipField();
            }
        }
        return dims.toArray();
    }

    private static OnnxTensor tensor(ProtoReader in) throws IOException {
        String name = "";
        int typeCode = 0;
        LongList dims = new LongList();
        LongList typedValues = new LongList(); // raw bits from whichever typed field is used
        int typedField = 0; // its field number: 4 float_data, 5 int32_data, 7 int64_data, 10 double, 11 uint64
        byte[] raw = null;
        while (in.hasMore()) {
            int field = in.nextField();
            switch (field) {
                case 1 -> in.readRepeatedVarints(dims::add);
                case 2 -> typeCode = in.readInt32();
                case 3 -> throw in.error("tensor '" + name + "': segmented tensors are not supported");
                case 4 -> in.readRepeatedFixed32(typedValues::add);
                case 5, 7, 11 -> in.readRepeatedVarints(typedValues::add);
                case 10 -> in.readRepeatedFixed64(typedValues::add);
                case 6 -> throw in.error("tensor '" + name + "': STRING tensors are not supported");
                case 8 -> name = in.readString();
                case 9 -> raw = in.readBytes();
                case 13 -> throw in.error("tensor '" + name + "': external data is not supported");
                case 14 -> {
                    if (in.readVarint() != 0) {
                        throw in.error("tensor '" + name + "': external data is not supported");
                    }
                }
                default -> in.skipField();
            }
            if (field == 4 || field == 5 || field == 7 || field == 10 || field == 11) {
                if (typedField != 0 && typedField != field) {
                    throw in.error("tensor '" + name + "': values in two typed fields (" + typedField + ", "
                            + field + ")");
                }
                typedField = field;
            }
        }
        OnnxDataType type = OnnxDataType.ofCode(typeCode);
        if (type == null || type == OnnxDataType.UNDEFINED || type == OnnxDataType.STRING) {
            throw in.error("tensor '" + name + "': unsupported data type " + typeCode);
        }
        if (typedField != 0 && typedField != typedFieldOf(type)) {
            throw in.error("tensor '" + name + "': " + type + " values in field " + typedField + ", expected field "
                    + typedFieldOf(type));
        }
        if (typedField != 0 && raw != null) {
            throw in.error("tensor '" + name + "': values in both raw_data and field " + typedField);
        }
        byte[] data = raw != null ? raw : littleEndian(typedValues, type);
        try {
            return new OnnxTensor(name, dims.toArray(), type, data);
        } catch (IllegalArgumentException e) {
            throw in.error(e.getMessage());
        }
    }

    /** The TensorProto field that holds values of {@code type} when raw_data is not used (onnx.proto). */
    private static int typedFieldOf(OnnxDataType type) {
        return switch (type) {
            case FLOAT, COMPLEX64 -> 4;
            case INT64 -> 7;
            case DOUBLE, COMPLEX128 -> 10;
            case UINT32, UINT64 -> 11;
            default -> 5; // int32_data: INT32, INT16, INT8, UINT16, UINT8, BOOL, FLOAT16, BFLOAT16
        };
    }

    /**
     * Encodes typed-field values as raw_data. Complex types store two reals per element, so each value takes
     * half the element size; every other type stores one value per element, truncated to the element size
     * (int32_data carries int8..uint16, bool, float16 and bfloat16 bit patterns in its low bits).
     */
    private static byte[] littleEndian(LongList values, OnnxDataType type) {
        int valueBytes = type == OnnxDataType.COMPLEX64 || type == OnnxDataType.COMPLEX128
                ? type.bytes() / 2 : type.bytes();
        byte[] out = new byte[values.size() * valueBytes];
        for (int i = 0; i < values.size(); i++) {
            long v = values.get(i);
            for (int b = 0; b < valueBytes; b++) {
                out[i * valueBytes + b] = (byte) (v >>> (8 * b));
            }
        }
        return out;
    }

    /** A growable long array (values of repeated scalar fields). */
    private static final class LongList {
        private long[] values = new long[16];
        private int size;

        void add(long v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        long get(int i) {
            return values[i];
        }

        int size() {
            return size;
        }

        long[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
