package io.ucag.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.models.layers.Layer;
import io.ucag.models.layers.Layers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Our layer trees name and shape their parameters exactly as torchvision's state_dicts (fixture from torch). */
class ArchitectureTest {

    static Map<String, Map<String, int[]>> torchvisionShapes() throws IOException {
        Map<String, Map<String, int[]>> byArch = new LinkedHashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                ArchitectureTest.class.getResourceAsStream("/torchvision-state-dict-shapes.txt"),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split(" ");
                int[] dims = Arrays.stream(f[2].split("x")).mapToInt(Integer::parseInt).toArray();
                byArch.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).put(f[1], dims);
            }
        }
        return byArch;
    }

    static Stream<String> architectures() throws IOException {
        return torchvisionShapes().keySet().stream();
    }

    @ParameterizedTest
    @MethodSource("architectures")
    void parametersMatchTorchvisionStateDict(String arch) throws IOException {
        Map<String, int[]> expected = torchvisionShapes().get(arch);
        Map<String, int[]> ours = Layers.parameterShapes(ModelZoo.spec(arch).root());
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(ours.keySet()), arch + ": names and order");
        for (String name : expected.keySet()) {
            assertArrayEquals(expected.get(name), ours.get(name), arch + ": " + name);
        }
    }

    @Test
    void resnet50HasTheKnownParameterCount() {
        long count = Layers.parameterShapes(ModelZoo.spec("resnet50").root()).entrySet().stream()
                .filter(e -> !e.getKey().endsWith("running_mean") && !e.getKey().endsWith("running_var"))
                .mapToLong(e -> Arrays.stream(e.getValue()).asLongStream().reduce(1, (a, b) -> a * b)).sum();
        assertEquals(25_557_032L, count); // torchvision resnet50: sum(p.numel() for p in model.parameters())
    }

    @Test
    void kerasResnet50HasBiasesEpsAndStrideOnTheFirst1x1() {
        Layer root = ModelZoo.spec("resnet50-keras").root();
        Layer.Conv2d conv1 = (Layer.Conv2d) Layers.find(root, "layer2.0.conv1").orElseThrow();
        Layer.Conv2d conv2 = (Layer.Conv2d) Layers.find(root, "layer2.0.conv2").orElseThrow();
        assertEquals(2, conv1.params().strideH());
        assertEquals(1, conv2.params().strideH());
        assertTrue(conv1.bias());
        Layer.BatchNorm2d bn = (Layer.BatchNorm2d) Layers.find(root, "bn1").orElseThrow();
        assertEquals(1e-3f, bn.eps());
        Layer.Conv2d tv = (Layer.Conv2d) Layers.find(ModelZoo.spec("resnet50").root(), "layer2.0.conv2")
                .orElseThrow();
        assertEquals(2, tv.params().strideH(), "torchvision v1.5 strides on the 3x3");
    }

    @Test
    void defaultCamLayersExistAndVggsIsTheLastRelu() {
        List<String> checked = new ArrayList<>();
        for (String name : ModelZoo.NAMES) {
            ModelSpec spec = ModelZoo.spec(name);
            Layer layer = Layers.find(spec.root(), spec.defaultCamLayer()).orElseThrow();
            if (name.startsWith("vgg")) {
                assertTrue(layer instanceof Layer.ReLU, name + ": " + layer);
            }
            checked.add(name);
        }
        assertEquals("features.29", ModelZoo.spec("vgg16").defaultCamLayer());
        assertEquals("features.42", ModelZoo.spec("vgg16_bn").defaultCamLayer());
        assertEquals(ModelZoo.NAMES, checked);
    }

    @Test
    void unknownNamesListTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelZoo.spec("resnet77"));
        assertTrue(e.getMessage().contains("18, 34, 50, 101 or 152"), e.getMessage());
        IllegalArgumentException f = assertThrows(IllegalArgumentException.class, () -> ModelZoo.spec("alexnet"));
        assertTrue(f.getMessage().contains("resnet50-keras"), f.getMessage());
    }
}
