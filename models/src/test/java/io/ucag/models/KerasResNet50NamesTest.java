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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class KerasResNet50NamesTest {

    /** The Keras weights manifest (names and shapes only), as a Parameters whose values are their flat index. */
    static Parameters manifest() throws IOException {
        Map<String, int[]> shapes = new LinkedHashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                KerasResNet50NamesTest.class.getResourceAsStream("/keras-resnet50-manifest.txt"),
                StandardCharsets.UTF_8))) {
            r.lines().filter(l -> !l.startsWith("#")).forEach(l -> {
                String[] f = l.split(" ");
                shapes.put(f[0], Arrays.stream(f[1].split("x")).mapToInt(Integer::parseInt).toArray());
            });
        }
        return new Parameters() {
            @Override
            public Set<String> names() {
                return shapes.keySet();
            }

            @Override
            public int[] shape(String name) {
                return shapes.get(name);
            }

            @Override
            public float[] data(String name) {
                float[] v = new float[Arrays.stream(shapes.get(name)).reduce(1, (a, b) -> a * b)];
                for (int i = 0; i < v.length; i++) {
                    v[i] = i;
                }
                return v;
            }
        };
    }

    @Test
    void everyKerasTensorMapsOntoTheArchitecture() throws IOException {
        Parameters mapped = KerasResNet50Names.toTorchLayout(manifest());
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
    void kernelsAreTransposedToPyTorchLayout() {
        // HWIO (kh=1,kw=2,in=2,out=3): element [y][x][i][o] = ((y*2+x)*2+i)*3+o
        float[] hwio = new float[12];
        for (int i = 0; i < 12; i++) {
            hwio[i] = i;
        }
        float[] oihw = Layouts.hwioToOihw(hwio, 1, 2, 2, 3);
        // OIHW [o][i][y][x] at ((o*2+i)*1+y)*2+x ; o=2,i=1,y=0,x=1 <- hwio ((0*2+1)*2+1)*3+2 = 11
        assertEquals(11f, oihw[((2 * 2 + 1)) * 2 + 1]);
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, Layouts.transpose(new float[] {0, 1, 2, 3, 4, 5}, 2, 3));
    }
}
