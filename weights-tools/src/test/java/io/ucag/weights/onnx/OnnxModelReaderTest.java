package io.ucag.weights.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** ModelProto -> graph -> nodes, attributes, initializers and value infos, built by hand on the wire. */
class OnnxModelReaderTest {

    private static ProtoWriter tensor(String name, float... values) {
        ProtoWriter t = new ProtoWriter().varint(1, values.length).varint(2, 1).string(8, name);
        return t.packedFloats(4, values);
    }

    private static ProtoWriter attribute(String name, int type) {
        return new ProtoWriter().string(1, name).varint(20, type);
    }

    private static ProtoWriter valueInfo(String name, int elemType, Object... dims) {
        ProtoWriter shape = new ProtoWriter();
        for (Object d : dims) {
            ProtoWriter dim = d instanceof String s ? new ProtoWriter().string(2, s)
                    : new ProtoWriter().varint(1, (Integer) d);
            shape.message(1, dim);
        }
        ProtoWriter tensorType = new ProtoWriter().varint(1, elemType).message(2, shape);
        return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
    }

    private static byte[] convModel() {
        ProtoWriter node = new ProtoWriter()
                .string(1, "x").string(1, "W").string(1, "") // omitted optional bias
                .string(2, "y").string(3, "conv0").string(4, "Conv")
                .message(5, attribute("kernel_shape", 7).varint(8, 3).varint(8, 3)) // unpacked ints
                .message(5, attribute("pads", 7).packedVarints(8, 1, 0, 1, 0)) // packed ints
                .message(5, attribute("auto_pad", 3).string(4, "NOTSET"))
                .message(5, attribute("group", 2).varint(3, 1))
                .message(5, attribute("alpha", 1).floatValue(2, 0.25f))
                .message(5, attribute("scales", 6).packedFloats(7, 1f, 2f))
                .message(5, attribute("names", 8).string(9, "a").string(9, "b"))
                .message(5, attribute("value", 4).message(5, tensor("v", 9f)))
                .string(6, "documentation is skipped");
        ProtoWriter graph = new ProtoWriter().message(1, node).string(2, "g")
                .message(5, tensor("W", 1f, 2f, 3f))
                .message(11, valueInfo("x", 1, "N", 3, 7, 5))
                .message(12, valueInfo("y", 1, 1, 1, 4, 2));
        return new ProtoWriter().varint(1, 8).string(2, "backend-test").string(3, "1.12")
                .message(8, new ProtoWriter().string(1, "").varint(2, 13))
                .message(8, new ProtoWriter().string(1, "ai.onnx.ml").varint(2, 3))
                .varint(99, 12345).fixed64(98, -1L).fixed32(97, 7).bytes(96, new byte[] {1, 2, 3}) // unknown
                .message(7, graph).toBytes();
    }

    @Test
    void modelHeaderAndOpsets() throws IOException {
        OnnxModel m = OnnxReader.parseModel(convModel(), "conv.onnx");
        assertEquals(8, m.irVersion());
        assertEquals("backend-test", m.producerName());
        assertEquals("1.12", m.producerVersion());
        assertEquals(13, m.opsetVersion(""));
        assertEquals(13, m.opsetVersion("ai.onnx"));
        assertEquals(3, m.opsetVersion("ai.onnx.ml"));
        assertEquals(-1, m.opsetVersion("com.microsoft"));
    }

    @Test
    void nodeInputsOutputsAndEveryAttributeType() throws IOException {
        OnnxNode n = OnnxReader.parseModel(convModel(), "conv.onnx").graph().nodes().get(0);
        assertEquals("Conv", n.opType());
        assertEquals("conv0", n.name());
        assertEquals("", n.domain());
        assertEquals(List.of("x", "W", ""), n.inputs());
        assertTrue(n.hasInput(1));
        assertFalse(n.hasInput(2));
        assertFalse(n.hasInput(3));
        assertEquals(List.of("y"), n.outputs());
        assertArrayEquals(new long[] {3, 3}, n.intsAttribute("kernel_shape", null));
        assertArrayEquals(new long[] {1, 0, 1, 0}, n.attribute("pads").asInts());
        assertEquals("NOTSET", n.stringAttribute("auto_pad", "?"));
        assertEquals(1, n.intAttribute("group", 0));
        assertEquals(7, n.intAttribute("absent", 7));
        assertEquals(0.25f, n.floatAttribute("alpha", 0f));
        assertArrayEquals(new float[] {1f, 2f}, n.attribute("scales").asFloats());
        assertEquals(List.of("a", "b"), n.attribute("names").asStrings());
        assertArrayEquals(new float[] {9f}, n.attribute("value").asTensor().floats());
        assertEquals(List.of("kernel_shape", "pads", "auto_pad", "group", "alpha", "scales", "names", "value"),
                List.copyOf(n.attributes().keySet()));
        IllegalStateException wrongType = assertThrows(IllegalStateException.class,
                () -> n.attribute("pads").asInt());
        assertTrue(wrongType.getMessage().contains("'pads' is INTS, not INT"), wrongType.getMessage());
    }

    @Test
    void graphInitializersAndValueInfos() throws IOException {
        OnnxGraph g = OnnxReader.parseModel(convModel(), "conv.onnx").graph();
        assertEquals("g", g.name());
        assertEquals(1, g.initializers().size());
        assertArrayEquals(new float[] {1f, 2f, 3f}, g.initializers().get(0).floats());
        OnnxValueInfo x = g.inputs().get(0);
        assertEquals("x", x.name());
        assertEquals(OnnxDataType.FLOAT, x.elemType());
        assertArrayEquals(new long[] {-1, 3, 7, 5}, x.dims()); // symbolic N is unknown
        assertArrayEquals(new long[] {1, 1, 4, 2}, g.outputs().get(0).dims());
    }

    @Test
    void attributeWithoutTypeIsInferredFromItsValue() throws IOException {
        // IR version 1 files may omit AttributeProto.type
        ProtoWriter node = new ProtoWriter().string(4, "Relu")
                .message(5, new ProtoWriter().string(1, "strides").varint(8, 2).varint(8, 2))
                .message(5, new ProtoWriter().string(1, "epsilon").floatValue(2, 1e-3f));
        byte[] model = new ProtoWriter().message(7, new ProtoWriter().message(1, node)).toBytes();
        OnnxNode n = OnnxReader.parseModel(model, "old.onnx").graph().nodes().get(0);
        assertEquals(OnnxAttribute.Type.INTS, n.attribute("strides").type());
        assertArrayEquals(new long[] {2, 2}, n.attribute("strides").asInts());
        assertEquals(1e-3f, n.attribute("epsilon").asFloat());
    }

    @Test
    void modelWithoutGraphIsAnError() {
        IOException e = assertThrows(IOException.class,
                () -> OnnxReader.parseModel(new ProtoWriter().varint(1, 8).toBytes(), "empty.onnx"));
        assertEquals("empty.onnx: the model has no graph", e.getMessage());
    }

    @Test
    void malformedWireDataIsAnErrorWithItsOffset() {
        byte[] truncated = new ProtoWriter().raw(0x3a, 0x05, 0x0a).toBytes(); // graph of 5 bytes, 1 present
        IOException e = assertThrows(IOException.class, () -> OnnxReader.parseModel(truncated, "bad.onnx"));
        assertTrue(e.getMessage().startsWith("bad.onnx: malformed protobuf at byte 1"), e.getMessage());
        byte[] group = new ProtoWriter().raw(0x0b).toBytes(); // field 1, wire type 3 (start group)
        IOException g = assertThrows(IOException.class, () -> OnnxReader.parseModel(group, "bad.onnx"));
        assertTrue(g.getMessage().contains("unsupported wire type 3"), g.getMessage());
        byte[] longVarint = new ProtoWriter().raw(0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                0x01).toBytes();
        IOException v = assertThrows(IOException.class, () -> OnnxReader.parseModel(longVarint, "bad.onnx"));
        assertTrue(v.getMessage().contains("varint longer than 10 bytes"), v.getMessage());
    }

    /** A real file of ONNX's node test suite, when installed (Debian package libonnx-testdata). */
    @Test
    void readsAnOnnxBackendNodeTest() throws IOException {
        Path dir = Path.of("/usr/share/libonnx-testdata/data/node/test_conv_with_strides_no_padding");
        Assumptions.assumeTrue(Files.isDirectory(dir), "libonnx-testdata is not installed");
        OnnxModel m = OnnxReader.readModel(dir.resolve("model.onnx"));
        OnnxNode n = m.graph().nodes().get(0);
        assertEquals("Conv", n.opType());
        assertArrayEquals(new long[] {3, 3}, n.intsAttribute("kernel_shape", null));
        assertArrayEquals(new long[] {0, 0, 0, 0}, n.intsAttribute("pads", null));
        assertArrayEquals(new long[] {2, 2}, n.intsAttribute("strides", null));
        assertEquals(OnnxDataType.FLOAT, m.graph().inputs().get(0).elemType());
        OnnxTensor y = OnnxReader.readTensor(dir.resolve("test_data_set_0/output_0.pb"));
        assertArrayEquals(new long[] {1, 1, 3, 2}, y.dims());
        assertArrayEquals(new float[] {54, 72, 144, 162, 234, 252}, y.floats());
    }
}
