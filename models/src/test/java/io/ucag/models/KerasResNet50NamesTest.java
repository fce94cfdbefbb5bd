package io.ucag.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ucag.models.layers.Layers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import io.ucag.weights.NamedTensor;
import io.ucag.weights.WeightSet;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class KerasResNet50NamesTest {

    /** The Keras weights manifest (names and shapes only) with each tensor's values set to their flat index. */
    static WeightSet manifest() throws IOException {
        WeightSet set = new WeightSet();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                KerasResNet50NamesTest.class.getResourceAsStream("/keras-resnet50-manifest.txt"),
                StandardCharsets.UTF_8))) {
            r.lines().filter(l -> !l.startsWith("#")).forEach(l -> {
                String[] f = l.split(" ");
                int[] shape = Arrays.stream(f[1].split("x")).mapToInt(Integer::parseInt).toArray();
                float[] v = new float[Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
                for (int i = 0; i < v.length; i++) {
                    v[i] = i;
                }
                set.add(new NamedTensor(f[0], shape, v));
            });
        }
        return set;
    }

    @Test
    void everyKerasTensorMapsOntoTheArchitecture() throws IOException {
        Parameters mapped = Parameters.of(KerasResNet50Names.toTorchLayout(manifest()));
        Map<String, int[]> expected = Layers.parameterShapes(ModelZoo.spec("resnet50-keras").root());
        assertEquals(new TreeSet<>(expected.keySet()), new TreeSet<>(mapped.names()));
        for (String name : expected.keySet()) {
            assertArrayEquals(expected.get(name), mapped.shape(name), name);
        }
    }

    @Test
    void namesFollowStageBlockAndBranch() {
        assertEquals("layer2.0.conv1.weight", KerasResNet50Names.torchName("res3a_branch2a/kernel"));
        assertEquals("layer4.2.bn3.running_var", KerasResNet50Names.torchName("bn5c_branch2c/moving_variance"));
        assertEquals("layer3.5.conv2.bias", KerasResNet50Names.torchName("res4f_branch2b/bias"));
        assertEquals("layer1.0.downsample.1.weight", KerasResNet50Names.torchName("bn2a_branch1/gamma"));
        assertEquals("bn1.running_mean", KerasResNet50Names.torchName("bn_conv1/moving_mean"));
        assertEquals("fc.weight", KerasResNet50Names.torchName("fc1000/kernel"));
        assertThrows(IllegalArgumentException.class, () -> KerasResNet50Names.torchName("res6a_branch2a/kernel"));
    }

    @Test
    void kernelsAreTransposedToPyTorchLayout() throws IOException {
        WeightSet torch = KerasResNet50Names.toTorchLayout(manifest());
        // fc1000/kernel [2048,1000] holds its flat index: fc.weight[o][i] = i*1000 + o
        float[] fc = torch.get("fc.weight").data();
        assertEquals(5 * 1000 + 7, fc[7 * 2048 + 5]);
        // conv1/kernel [7,7,3,64]: conv1.weight[o][c][y][x] = ((y*7+x)*3+c)*64+o
        float[] conv = torch.get("conv1.weight").data();
        assertEquals(((2 * 7 + 4) * 3 + 1) * 64 + 9, conv[((9 * 3 + 1) * 7 + 2) * 7 + 4]);
    }
}
