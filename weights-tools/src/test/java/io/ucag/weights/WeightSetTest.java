package io.ucag.weights;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WeightSetTest {
    private static WeightSet resnetLike() {
        return new WeightSet()
                .add(new NamedTensor("layer1.0.conv1.weight", new int[] {64, 64, 3, 3}, new float[64 * 64 * 9]))
                .add(new NamedTensor("layer1.0.conv2.weight", new int[] {64, 64, 1, 1}, new float[64 * 64]))
                .add(new NamedTensor("layer1.0.bn1.weight", new int[] {64}, new float[64]))
                .add(new NamedTensor("fc.bias", new int[] {10}, new float[10]))
                .add(new NamedTensor("bn.num_batches_tracked", new int[] {}, new float[] {3}, DType.I64));
    }

    @Test
    void keepsOrderAndCountsParameters() {
        WeightSet w = resnetLike();
        assertEquals(List.of("layer1.0.conv1.weight", "layer1.0.conv2.weight", "layer1.0.bn1.weight", "fc.bias",
                "bn.num_batches_tracked"), w.names());
        assertEquals(64 * 64 * 9 + 64 * 64 + 64 + 10 + 1, w.parameterCount());
    }

    @Test
    void requireChecksTheShapeWithAPyTorchStyleMessage() {
        WeightSet w = resnetLike();
        assertSame(w.get("fc.bias"), w.require("fc.bias", 10));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> w.require("layer1.0.conv1.weight", 64, 64, 1, 1));
        assertEquals("tensor 'layer1.0.conv1.weight': expected shape (64,64,1,1), found (64,64,3,3)",
                e.getMessage());
        assertEquals("tensor 'bn.num_batches_tracked': expected shape (1), found ()",
                assertThrows(IllegalArgumentException.class, () -> w.require("bn.num_batches_tracked", 1))
                        .getMessage());
    }

    @Test
    void missingNameListsTheClosestNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> resnetLike().get("layer1.0.conv3.weight"));
        assertEquals("no tensor 'layer1.0.conv3.weight' among 5 tensors; closest names: layer1.0.conv1.weight,"
                + " layer1.0.conv2.weight, layer1.0.bn1.weight, fc.bias, bn.num_batches_tracked", e.getMessage());
    }

    @Test
    void editDistance() {
        assertEquals(3, WeightSet.editDistance("kitten", "sitting"));
        assertEquals(0, WeightSet.editDistance("", ""));
        assertEquals(4, WeightSet.editDistance("", "abcd"));
    }

    @Test
    void duplicateNamesAreRefused() {
        WeightSet w = resnetLike();
        assertThrows(IllegalArgumentException.class,
                () -> w.add(new NamedTensor("fc.bias", new int[] {1}, new float[1])));
    }

    @Test
    void nonFiniteValuesNameTheTensorAndFirstIndex() {
        float[] data = new float[24];
        data[13] = Float.NaN;
        data[20] = Float.POSITIVE_INFINITY;
        WeightSet w = new WeightSet().add(new NamedTensor("ok", new int[] {2}, new float[] {1, 2}))
                .add(new NamedTensor("conv.weight", new int[] {2, 3, 4}, data));
        IllegalStateException e = assertThrows(IllegalStateException.class, w::requireFinite);
        assertEquals("tensor 'conv.weight' (2,3,4): value NaN at flat index 13 [1,0,1] is not finite",
                e.getMessage());
    }

    @Test
    void shapeAndDataMustAgree() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new NamedTensor("w", new int[] {2, 3}, new float[5]));
        assertEquals("tensor 'w': shape (2,3) has 6 elements but 5 values were given", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new NamedTensor("w", new int[] {-1}, new float[0]));
        assertEquals(0, new NamedTensor("empty", new int[] {0, 4}, new float[0]).numel());
    }
}
