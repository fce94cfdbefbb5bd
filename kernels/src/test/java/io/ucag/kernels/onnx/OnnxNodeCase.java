package io.ucag.kernels.onnx;

import io.ucag.weights.onnx.OnnxModel;
import io.ucag.weights.onnx.OnnxNode;
import io.ucag.weights.onnx.OnnxReader;
import io.ucag.weights.onnx.OnnxTensor;
import io.ucag.weights.onnx.OnnxValueInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One ONNX backend node test ({@code data/node/test_<name>/}): {@code model.onnx} holds a graph of one operator
 * node (plus, in a few tests, {@code Constant} nodes feeding it), and each {@code test_data_set_<k>/} holds the
 * graph inputs {@code input_<i>.pb} and the expected outputs {@code output_<j>.pb} as {@code TensorProto}s, in
 * the order of the graph's inputs and outputs.
 *
 * @param name     the test's folder name, e.g. {@code test_conv_with_strides_padding}
 * @param opset    the imported version of the default operator set
 * @param node     the operator node under test
 * @param dataSets the input and expected output sets
 */
record OnnxNodeCase(String name, long opset, OnnxNode node, List<DataSet> dataSets) {

    /**
     * One set of values: the node's inputs by position (null where an optional input is omitted) and its
     * expected outputs by position (null where the graph does not expose an output).
     */
    record DataSet(String name, List<OnnxTensor> inputs, List<OnnxTensor> expected) {
    }

    /**
     * The tests under {@code root} whose graph, apart from {@code Constant} nodes, is a single node of one of
     * {@code opTypes}, sorted by name; {@code others} receives how many tests were left out (other operators,
     * or graphs of several operators such as the {@code _expanded} function bodies).
     */
    static List<OnnxNodeCase> discover(Path root, Set<String> opTypes, int[] others) {
        List<OnnxNodeCase> cases = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                OnnxModel model = OnnxReader.readModel(dir.resolve("model.onnx"));
                List<OnnxNode> operators = model.graph().nodes().stream()
                        .filter(n -> !n.opType().equals("Constant")).toList();
                if (operators.size() == 1 && operators.get(0).domain().isEmpty()
                        && opTypes.contains(operators.get(0).opType())) {
                    cases.add(load(dir, model, operators.get(0)));
                } else {
                    others[0]++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cases;
    }

    private static OnnxNodeCase load(Path dir, OnnxModel model, OnnxNode node) throws IOException {
        Map<String, OnnxTensor> constants = new HashMap<>();
        model.graph().initializers().forEach(t -> constants.put(t.name(), t));
        for (OnnxNode n : model.graph().nodes()) {
            if (n.opType().equals("Constant")) {
                constants.put(n.outputs().get(0), n.attribute("value").asTensor());
            }
        }
        List<DataSet> sets = new ArrayList<>();
        try (Stream<Path> setDirs = Files.list(dir)) {
            for (Path setDir : setDirs.filter(p -> p.getFileName().toString().startsWith("test_data_set_"))
                    .sorted().toList()) {
                Map<String, OnnxTensor> values = new HashMap<>(constants);
                List<OnnxValueInfo> graphInputs = model.graph().inputs();
                for (int i = 0; i < graphInputs.size(); i++) {
                    Path file = setDir.resolve("input_" + i + ".pb");
                    if (Files.exists(file)) {
                        values.put(graphInputs.get(i).name(), OnnxReader.readTensor(file));
                    }
                }
                List<OnnxTensor> inputs = new ArrayList<>();
                for (String input : node.inputs()) {
                    if (!input.isEmpty() && !values.containsKey(input)) {
                        throw new IOException(setDir + ": no value for input '" + input + "'");
                    }
                    inputs.add(input.isEmpty() ? null : values.get(input));
                }
                Map<String, OnnxTensor> outputs = new HashMap<>();
                List<OnnxValueInfo> graphOutputs = model.graph().outputs();
                for (int j = 0; j < graphOutputs.size(); j++) {
                    Path file = setDir.resolve("output_" + j + ".pb");
                    outputs.put(graphOutputs.get(j).name(), OnnxReader.readTensor(file));
                }
                List<OnnxTensor> expected = new ArrayList<>();
                for (String output : node.outputs()) {
                    expected.add(outputs.get(output)); // null: an output the graph does not expose
                }
                sets.add(new DataSet(setDir.getFileName().toString(), inputs, expected));
            }
        }
        if (sets.isEmpty()) {
            throw new IOException(dir + ": no test_data_set_* folder");
        }
        return new OnnxNodeCase(dir.getFileName().toString(), model.opsetVersion(""), node, sets);
    }

    @Override
    public String toString() {
        return name;
    }
}
