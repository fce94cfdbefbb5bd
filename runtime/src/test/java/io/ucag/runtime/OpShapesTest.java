package io.ucag.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.runtime.java.JavaDevice;
import io.ucag.runtime.ops.Conv2dParams;
import io.ucag.runtime.ops.Pool2dParams;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Output shapes and the one-line errors every device reports for bad arguments. */
class OpShapesTest {
    private static final JavaDevice D = new JavaDevice(1);

    @AfterAll
    static void closeDevice() {
        D.close();
    }

    private static Tensor t(int... dims) {
        return D.zeros(Shape.of(dims));
    }

    private static void assertError(String expectedStart, String mustContain, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(expectedStart) && e.getMessage().contains(mustContain), e.getMessage());
    }

    @Test
    void convOutputShapesFollowPyTorch() {
        // torch: conv2d(1x3x224x224, 64x3x7x7, stride 2, pad 3) -> 1x64x112x112
        assertEquals(Shape.of(1, 64, 112, 112), OpShapes.conv2d(t(1, 3, 224, 224), t(64, 3, 7, 7), null,
                Conv2dParams.of(2, 3)));
        // dilation 2, no padding: 13 - 2*(3-1) = 9
        assertEquals(Shape.of(2, 4, 9, 9), OpShapes.conv2d(t(2, 5, 13, 13), t(4, 5, 3, 3), t(4),
                Conv2dParams.of(1, 0, 2)));
    }

    @Test
    void convMismatchesNameOpAndShapes() {
        assertError("conv2d:", "(1,3,8,8)", () -> OpShapes.conv2d(t(1, 3, 8, 8), t(4, 5, 3, 3), null,
                Conv2dParams.of(1, 0)));
        assertError("conv2d:", "bias (5)", () -> OpShapes.conv2d(t(1, 5, 8, 8), t(4, 5, 3, 3), t(5),
                Conv2dParams.of(1, 0)));
        assertError("conv2d:", "smaller", () -> OpShapes.conv2d(t(1, 5, 2, 2), t(4, 5, 3, 3), null,
                Conv2dParams.of(1, 0)));
        assertError("conv2d:", "stride", () -> Conv2dParams.of(0, 1));
        assertError("conv2d:", "padding", () -> Conv2dParams.of(1, -1));
    }

    @Test
    void poolOutputShapesIncludingCeilMode() {
        // torch: max_pool2d(1x1x112x112, 3, 2, 1) -> 56x56 ; ceil_mode on 7x7 k2 s2 -> 4x4 ; k3 s2 ceil 6x6 -> 3x3
        assertEquals(Shape.of(1, 1, 56, 56), OpShapes.pool2d("maxPool2d", t(1, 1, 112, 112), Pool2dParams.of(3, 2, 1)));
        assertEquals(Shape.of(1, 1, 4, 4), OpShapes.pool2d("maxPool2d", t(1, 1, 7, 7),
                Pool2dParams.of(2, 2, 0).withCeilMode(true)));
        assertEquals(Shape.of(1, 1, 3, 3), OpShapes.pool2d("maxPool2d", t(1, 1, 6, 6),
                Pool2dParams.of(3, 2, 0).withCeilMode(true)));
        // torch: ceil_mode with padding 1, k2 s2 on 5: ceil((5+2-2)/2)+1 = 4, last start 6 >= 5+1 -> 3
        assertEquals(Shape.of(1, 1, 3, 3), OpShapes.pool2d("avgPool2d", t(1, 1, 5, 5),
                new Pool2dParams(2, 2, 2, 2, 1, 1, true)));
        assertError("pool2d:", "half", () -> Pool2dParams.of(2, 2, 2));
    }

    @Test
    void broadcastingFollowsNumPy() {
        assertEquals(Shape.of(2, 3, 4, 5), OpShapes.broadcast("add", Shape.of(2, 3, 4, 5), Shape.of(3, 1, 1)));
        assertEquals(Shape.of(2, 3, 4, 5), OpShapes.broadcast("add", Shape.of(1), Shape.of(2, 3, 4, 5)));
        assertArrayEquals(new int[] {0, 1, 0, 0}, OpShapes.broadcastStrides(Shape.of(3, 1, 1), Shape.of(2, 3, 4, 5)));
        assertArrayEquals(new int[] {60, 20, 5, 1}, OpShapes.broadcastStrides(Shape.of(2, 3, 4, 5),
                Shape.of(2, 3, 4, 5)));
        assertError("mul:", "(2,3) and (4,3)", () -> OpShapes.broadcast("mul", Shape.of(2, 3), Shape.of(4, 3)));
    }

    @Test
    void reductionShapesAndAxisErrors() {
        Tensor x = t(2, 3, 4, 5);
        int[] axes = OpShapes.reduceAxes(x, new int[] {-1, 1});
        assertArrayEquals(new int[] {1, 3}, axes);
        assertEquals(Shape.of(2, 4), OpShapes.reduce(x, axes, false));
        assertEquals(Shape.of(2, 1, 4, 1), OpShapes.reduce(x, axes, true));
        assertEquals(Shape.of(1), OpShapes.reduce(x, new int[] {0, 1, 2, 3}, false));
        assertError("reduce:", "twice", () -> OpShapes.reduceAxes(x, new int[] {1, -3}));
        assertError("reduce:", "out of range", () -> OpShapes.reduceAxes(x, new int[] {4}));
    }

    @Test
    void layoutAndResamplingErrors() {
        assertEquals(Shape.of(2, 7, 4, 5), OpShapes.concat(List.of(t(2, 3, 4, 5), t(2, 4, 4, 5)), 1));
        assertError("concat:", "differ outside axis 1", () -> OpShapes.concat(List.of(t(2, 3, 4, 5), t(2, 3, 4, 6)), 1));
        assertError("crop:", "not inside (1,1,4,4)", () -> OpShapes.crop(t(1, 1, 4, 4), 2, 0, 3, 4));
        assertError("pad:", "padding must be >= 0", () -> OpShapes.pad(t(1, 1, 4, 4), -1, 0, 0, 0));
        assertError("resize:", "output size", () -> OpShapes.resize(t(1, 1, 4, 4), 0, 3));
        assertError("gaussianBlur:", "odd", () -> OpShapes.gaussianBlur(t(1, 1, 9, 9), 4, 1f));
        assertError("gaussianBlur:", "sigma", () -> OpShapes.gaussianBlur(t(1, 1, 9, 9), 3, Float.NaN));
        assertError("gaussianBlur:", "reflect", () -> OpShapes.gaussianBlur(t(1, 1, 4, 9), 9, 1f));
        assertError("clamp:", "min <= max", () -> OpShapes.clamp(t(1), 2f, 1f));
    }

    @Test
    void gaussianKernelMatchesTorchvision() {
        // torchvision _get_gaussian_kernel1d(5, 3.0)
        float[] k = OpShapes.gaussianKernel(5, 3f);
        float[] expected = {0.17820325f, 0.21052228f, 0.22254893f, 0.21052228f, 0.17820325f};
        for (int i = 0; i < 5; i++) {
            assertEquals(expected[i], k[i], 1e-6f);
        }
    }
}
