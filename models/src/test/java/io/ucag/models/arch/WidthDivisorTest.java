package io.ucag.models.arch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ucag.models.layers.Layers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Narrow variants: every width divided, names and structure as the full networks. */
class WidthDivisorTest {

    @Test
    void narrowVggDividesConvolutionsAndClassifier() {
        Map<String, int[]> narrow = Layers.parameterShapes(Vgg.build(16, true, 10, 32));
        Map<String, int[]> full = Layers.parameterShapes(Vgg.build(16, true, 1000));
        assertEquals(List.copyOf(full.keySet()), List.copyOf(narrow.keySet()));
        assertArrayEquals(new int[] {2, 3, 3, 3}, narrow.get("features.0.weight"));
        assertArrayEquals(new int[] {16, 16, 3, 3}, narrow.get("features.40.weight"));
        assertArrayEquals(new int[] {128, 16 * 7 * 7}, narrow.get("classifier.0.weight"));
        assertArrayEquals(new int[] {10, 128}, narrow.get("classifier.6.weight"));
    }

    @Test
    void narrowResNetDividesStemAndPlanes() {
        Map<String, int[]> narrow = Layers.parameterShapes(ResNet.build(50, 10, 32));
        Map<String, int[]> full = Layers.parameterShapes(ResNet.build(50, 1000));
        assertEquals(List.copyOf(full.keySet()), List.copyOf(narrow.keySet()));
        assertArrayEquals(new int[] {2, 3, 7, 7}, narrow.get("conv1.weight"));
        assertArrayEquals(new int[] {4, 4, 3, 3}, narrow.get("layer2.0.conv2.weight"));
        assertArrayEquals(new int[] {64, 32, 1, 1}, narrow.get("layer4.0.downsample.0.weight"));
        assertArrayEquals(new int[] {10, 64}, narrow.get("fc.weight"));
        assertArrayEquals(new int[] {8, 8, 3, 3}, Layers.parameterShapes(ResNet.build(18, 10, 8))
                .get("layer1.1.conv2.weight"));
    }

    @Test
    void divisorMustBeAPowerOfTwoUpTo64() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Vgg.build(11, false, 10, 3));
        assertEquals("VGG width divisor must be a power of two from 1 to 64, got 3", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ResNet.build(18, 10, 128));
        assertThrows(IllegalArgumentException.class, () -> ResNet.build(18, 10, 0));
    }
}
