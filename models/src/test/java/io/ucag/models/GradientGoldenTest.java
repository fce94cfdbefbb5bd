package io.ucag.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.models.layers.Layer;
import io.ucag.runtime.Device;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.autograd.Gradients;
import io.ucag.runtime.autograd.Tape;
import io.ucag.runtime.io.NpyArray;
import io.ucag.runtime.java.JavaBuffer;
import io.ucag.runtime.java.JavaDevice;
import io.ucag.runtime.ops.Conv2dParams;
import io.ucag.runtime.ops.Pool2dParams;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whole-network gradients against torch autograd (fixtures of {@code make_grad_goldens.py}): a small VGG and a
 * small ResNet, built as layer trees, run forward on a recording device and differentiated from the logits with a
 * one-hot seed per batch item. Logits and the gradients w.r.t. the input, one activation and a few parameters
 * must match torch's on the Java device and on OpenCL. Also: watching only an activation records nothing below
 * it, and backward releases every tensor the tape saved.
 */
class GradientGoldenTest {
    private static final JavaDevice JAVA = new JavaDevice(2);
    /**
     * Relative tolerance, plus an absolute one of ATOL_OF_MAX times the tensor's largest magnitude: a gradient
     * element is a long sum of products of both signs, so an element that nearly cancels to zero carries the
     * float32 rounding of its large terms (on the scale of the tensor's big elements), not of its own size. The
     * references are float64 results; float32 torch meets this bound with a margin of about 40x.
     */
    private static final double RTOL = 1e-4;
    private static final double ATOL_OF_MAX = 1e-5;
    private static final int CLASSES = 5;

    @AfterAll
    static void closeDevice() {
        JAVA.close();
    }

    // ---- the two nets, with torch's module names ---------------------------------------------------

    /** features: conv+ReLU, conv+ReLU, pool, conv+BN+ReLU, ceil-mode pool; avgpool (2,2); classifier. */
    static ModelSpec smallVgg() {
        Conv2dParams same = Conv2dParams.of(1, 1);
        Layer.Sequential features = new Layer.Sequential("features", List.of(
                new Layer.Conv2d("features.0", 3, 4, 3, 3, same, true),
                new Layer.ReLU("features.1"),
                new Layer.Conv2d("features.2", 4, 4, 3, 3, same, true),
                new Layer.ReLU("features.3"),
                new Layer.MaxPool2d("features.4", Pool2dParams.of(2, 2, 0)),
                new Layer.Conv2d("features.5", 4, 8, 3, 3, same, true),
                new Layer.BatchNorm2d("features.6", 8, 1e-5f),
                new Layer.ReLU("features.7"),
                new Layer.MaxPool2d("features.8", Pool2dParams.of(2, 2, 0).withCeilMode(true))));
        Layer.Sequential classifier = new Layer.Sequential("classifier", List.of(
                new Layer.Linear("classifier.0", 8 * 2 * 2, 16),
                new Layer.ReLU("classifier.1"),
                new Layer.Dropout("classifier.2"),
                new Layer.Linear("classifier.3", 16, CLASSES)));
        Layer root = new Layer.Sequential("", List.of(features, new Layer.AdaptiveAvgPool2d("avgpool", 2, 2),
                new Layer.Flatten("flatten"), classifier));
        return new ModelSpec("golden-vgg", root, 29, Preprocessing.TORCHVISION, CLASSES, "features.4");
    }

    /** conv1 7x7/2, bn1, relu, maxpool 3/2/1, layer1 = BasicBlock(4,4), layer2 = BasicBlock(4,8,/2), fc. */
    static ModelSpec smallResNet() {
        Layer root = new Layer.Sequential("", List.of(
                new Layer.Conv2d("conv1", 3, 4, 7, 7, Conv2dParams.of(2, 3), false),
                new Layer.BatchNorm2d("bn1", 4, 1e-5f),
                new Layer.ReLU("relu"),
                new Layer.MaxPool2d("maxpool", Pool2dParams.of(3, 2, 1)),
                new Layer.Sequential("layer1", List.of(TestBlocks.basicBlock("layer1.0", 4, 4, 1))),
                new Layer.Sequential("layer2", List.of(TestBlocks.basicBlock("layer2.0", 4, 8, 2))),
                new Layer.AdaptiveAvgPool2d("avgpool", 1, 1),
                new Layer.Flatten("flatten"),
                new Layer.Linear("fc", 8, CLASSES)));
        return new ModelSpec("golden-resnet", root, 33, Preprocessing.TORCHVISION, CLASSES, "layer1");
    }

    private static ModelSpec spec(String net) {
        return switch (net) {
            case "vgg" -> smallVgg();
            case "resnet" -> smallResNet();
            default -> throw new IllegalArgumentException(net);
        };
    }

    // ---- the checks ------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"java, vgg", "java, resnet", "opencl, vgg", "opencl, resnet"})
    void logitsAndGradientsMatchTorch(String deviceKind, String net) {
        GradGolden golden = GradGolden.load(net);
        Device device = TestDevices.device(deviceKind);
        String where = net + " on " + deviceKind;
        try (Model model = Model.load(spec(net), golden.weights(), device);
             TensorScope scope = TensorScope.open(); Tape tape = new Tape()) {
            Device d = tape.on(device);
            Tensor x = tape.watch(golden.input().toTensor(device));
            Map<String, Tensor> parameters = new LinkedHashMap<>();
            golden.parameterGradients().keySet().forEach(p -> parameters.put(p, tape.watch(model.parameter(p))));
            List<Tensor> activation = new ArrayList<>();
            Tensor logits = model.forward(d, x, (layer, output) -> {
                if (layer.equals(golden.activation())) {
                    activation.add(tape.watch(output));
                }
            });
            assertEquals(1, activation.size(), where + ": the hook saw " + golden.activation() + " once");
            assertClose(where + " logits", golden.logits(), logits.toArray());
            try (Gradients g = tape.backward(logits, device.fromArray(logits.shape(), golden.seed()))) {
                assertClose(where + " d/d input", golden.inputGradient(), g.of(x).toArray());
                assertClose(where + " d/d " + golden.activation(), golden.activationGradient(),
                        g.of(activation.get(0)).toArray());
                for (Map.Entry<String, Tensor> p : parameters.entrySet()) {
                    assertClose(where + " d/d " + p.getKey(), golden.parameterGradients().get(p.getKey()),
                            g.of(p.getValue()).toArray());
                }
            }
        }
    }

    /**
     * GradCAM's use: only the activation is watched, so the ops below it run as plain inference (its producer is
     * not recorded), the input has no gradient, and the activation's gradient is still torch's.
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"java, vgg", "java, resnet", "opencl, vgg", "opencl, resnet"})
    void watchingOnlyTheActivationRecordsNothingBelowIt(String deviceKind, String net) {
        GradGolden golden = GradGolden.load(net);
        Device device = TestDevices.device(deviceKind);
        String where = net + " on " + deviceKind;
        try (Model model = Model.load(spec(net), golden.weights(), device);
             TensorScope scope = TensorScope.open(); Tape tape = new Tape()) {
            Tensor x = golden.input().toTensor(device);
            List<Tensor> activation = new ArrayList<>();
            Tensor logits = model.forward(tape.on(device), x, (layer, output) -> {
                if (layer.equals(golden.activation())) {
                    assertFalse(tape.requiresGrad(output), where + ": nothing below the activation is recorded");
                    activation.add(tape.watch(output));
                }
            });
            assertTrue(tape.requiresGrad(logits), where + ": the layers above the activation are recorded");
            try (Gradients g = tape.backward(logits, device.fromArray(logits.shape(), golden.seed()))) {
                assertClose(where + " d/d " + golden.activation(), golden.activationGradient(),
                        g.of(activation.get(0)).toArray());
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.of(x));
                assertTrue(e.getMessage().contains("only tensors passed to Tape.watch"), e.getMessage());
                Tensor firstWeight = model.parameter(net.equals("vgg") ? "features.0.weight" : "conv1.weight");
                assertThrows(IllegalArgumentException.class, () -> g.of(firstWeight));
            }
        }
    }

    /**
     * Backward releases what the tape saved: after it (and the gradients' close), the only live buffers are the
     * input, the seed and the logits; after the scope, none. Counts exactly, through a view of the Java device
     * that remembers the buffer of every tensor it returns (a released {@link JavaBuffer} has no data). The tape
     * is never closed, so only backward can have released its records. Gradient sums at residual joins are made
     * on the tensors' own device, outside the view; they are covered by the scope check only.
     */
    @ParameterizedTest
    @ValueSource(strings = {"vgg", "resnet"})
    void backwardReleasesEverythingTheTapeSaved(String net) {
        GradGolden golden = GradGolden.load(net);
        Set<JavaBuffer> buffers = Collections.newSetFromMap(new IdentityHashMap<>());
        Device counted = bufferRemembering(JAVA, buffers);
        try (Model model = Model.load(spec(net), golden.weights(), JAVA)) {
            for (int r = 0; r < 3; r++) {
                int round = r;
                try (TensorScope scope = TensorScope.open()) {
                    Tape tape = new Tape();
                    Tensor x = tape.watch(golden.input().toTensor(counted));
                    tape.watch(model.parameter(net.equals("vgg") ? "features.0.weight" : "conv1.weight"));
                    Tensor logits = model.forward(tape.on(counted), x, (layer, output) -> {
                        if (layer.equals(golden.activation())) {
                            tape.watch(output);
                        }
                    });
                    assertTrue(live(buffers).size() > 2,
                            net + ": the tape holds activations after the forward pass: " + live(buffers).size());
                    Tensor seed = counted.fromArray(logits.shape(), golden.seed());
                    tape.backward(logits, seed).close();
                    Set<JavaBuffer> expected = Collections.newSetFromMap(new IdentityHashMap<>());
                    for (Tensor t : List.of(x, seed, logits)) {
                        expected.add((JavaBuffer) t.buffer());
                    }
                    assertEquals(expected, live(buffers), () -> net + " round " + round + ": live after backward "
                            + "(sizes in floats) should be the input, seed and logits " + sizes(expected) + ", are "
                            + sizes(live(buffers)));
                }
                assertEquals(Set.of(), live(buffers), () -> net + " round " + round + ": live after the scope: "
                        + sizes(live(buffers)));
            }
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static Set<JavaBuffer> live(Set<JavaBuffer> buffers) {
        Set<JavaBuffer> live = Collections.newSetFromMap(new IdentityHashMap<>());
        buffers.stream().filter(b -> b.data() != null).forEach(live::add);
        return live;
    }

    private static List<Long> sizes(Set<JavaBuffer> buffers) {
        return buffers.stream().map(JavaBuffer::floats).sorted().toList();
    }

    /** {@code base}, remembering the buffer of every tensor one of its methods returns. */
    private static Device bufferRemembering(JavaDevice base, Set<JavaBuffer> buffers) {
        return (Device) Proxy.newProxyInstance(Device.class.getClassLoader(), new Class<?>[] {Device.class},
                (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(base, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (result instanceof Tensor t) {
                        buffers.add((JavaBuffer) t.buffer());
                    }
                    return result;
                });
    }

    /** |actual - expected| <= RTOL |expected| + ATOL_OF_MAX max|expected|, reporting the worst element. */
    private static void assertClose(String what, NpyArray expected, float[] actual) {
        GoldenAssert.assertClose(what, "element", expected, actual, RTOL, ATOL_OF_MAX);
    }
}
