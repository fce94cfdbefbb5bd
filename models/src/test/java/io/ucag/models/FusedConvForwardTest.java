package io.ucag.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.models.layers.Layer;
import io.ucag.models.layers.Layers;
import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A forward pass whose hook does not observe a convolution fuses it with the batch norm after it; the logits and
 * every observed output must be those of the unfused pass (float rounding aside), on both devices.
 */
class FusedConvForwardTest {
    private static final int SIDE = 40;

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({"resnet18, java", "resnet50, java", "vgg11_bn, java", "resnet50, opencl", "vgg11_bn, opencl"})
    void fusedPassEqualsUnfusedPass(String architecture, String device) {
        Device d = TestDevices.device(device);
        ModelSpec spec = ModelZoo.spec(architecture, 7, 16);
        Map<String, Layer.Conv2d> pairs = Layers.convolutionsBeforeBatchNorms(spec.root());
        assertFalse(pairs.isEmpty(), "the architecture has conv-BN pairs");
        try (Model model = Model.load(spec, randomParameters(spec, 11), d);
             Tensor x = d.fromArray(Shape.of(2, 3, SIDE, SIDE), gaussian(2 * 3 * SIDE * SIDE, 5))) {
            Map<String, float[]> unfused = new LinkedHashMap<>();
            float[] plain = model.forward(d, x, keepAll(unfused, name -> true)).toArray();
            Map<String, float[]> fused = new LinkedHashMap<>();
            List<String> seenConvs = new ArrayList<>();
            float[] fast = model.forward(d, x, keepAll(fused, name -> !isConv(model, name))).toArray();
            fused.keySet().stream().filter(name -> isConv(model, name)).forEach(seenConvs::add);
            assertTrue(seenConvs.stream().noneMatch(c -> pairs.containsValue((Layer.Conv2d) model.layer(c))),
                    "fused convolutions are not reported: " + seenConvs);
            assertClose("logits", plain, fast);
            for (String bn : pairs.keySet()) {
                assertClose(bn, unfused.get(bn), fused.get(bn));
            }
            float[] none = model.forward(x).toArray(); // everything fused: BN, ReLU, residual additions
            assertClose("logits with no hook", plain, none);
            String stage = spec.defaultCamLayer();
            Map<String, float[]> one = new LinkedHashMap<>();
            model.forward(d, x, ActivationHook.only(stage, (name, out) -> one.put(name, out.toArray()))).close();
            assertEquals(Set.of(stage), one.keySet());
            assertClose(stage, unfused.get(stage), one.get(stage));
        }
    }

    private static boolean isConv(Model model, String name) {
        return model.layer(name) instanceof Layer.Conv2d;
    }

    private static ActivationHook keepAll(Map<String, float[]> into, Predicate<String> observed) {
        return new ActivationHook() {
            @Override
            public void onOutput(String name, Tensor output) {
                into.put(name, output.toArray());
            }

            @Override
            public boolean observes(String name) {
                return observed.test(name);
            }
        };
    }

    private static void assertClose(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what);
        double max = 0;
        for (float v : expected) {
            max = Math.max(max, Math.abs(v));
        }
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5 * max + 1e-4 * Math.abs(expected[i]), what + " at " + i);
        }
    }

    /** Seeded weights scaled by fan-in; batch-norm variances positive, so that the folding divides safely. */
    static Parameters randomParameters(ModelSpec spec, long seed) {
        Map<String, int[]> shapes = Layers.parameterShapes(spec.root());
        Random rng = new Random(seed);
        Map<String, float[]> values = new LinkedHashMap<>();
        shapes.forEach((name, shape) -> {
            int n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
            int fanIn = shape.length > 1 ? n / shape[0] : 1;
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = name.endsWith("running_var") ? 0.2f + rng.nextFloat()
                        : (float) ((rng.nextDouble() * 2 - 1) * (name.endsWith(".weight") && shape.length == 1
                        ? 1 : 1.7 / Math.sqrt(fanIn)));
            }
            values.put(name, v);
        });
        return Parameters.of(shapes, values);
    }

    private static float[] gaussian(int n, long seed) {
        Random rng = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        return v;
    }
}
