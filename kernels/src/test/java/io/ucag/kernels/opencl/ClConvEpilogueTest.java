package io.ucag.kernels.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.kernels.OpenClTestSupport;
import io.ucag.runtime.AlignedPlanes;
import io.ucag.runtime.FastConvolutions;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.ops.Conv2dParams;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * conv2dDivide, conv2dBackwardInputTimes and conv2dBackwardInputTimesPlus (an LRP rule's R / z, x * f^T(s) and
 * x * f^T(s) + a, the element-wise ops in the convolution's store), and conv2dAddRelu (a residual block's output
 * with its body kept), give the very floats of the separate ops, on
 * every path: direct (read in place and
 * staged), Winograd, the GPU's tiled convolution, and the input gradients that are forward convolutions, scatters or
 * gathers.
 */
class ClConvEpilogueTest {
    private static final int[][] CASES = { // n, c, h, w, o, k, stride, pad
        {2, 5, 9, 11, 7, 3, 1, 1},      // staged 3x3
        {2, 6, 33, 33, 256, 1, 1, 0},   // 1x1 read in place, aligned stores (1089-float planes)
        {1, 4, 65, 65, 128, 1, 2, 0},   // 1x1 stride 2: its input gradient is a scatter
        {2, 3, 29, 29, 8, 7, 2, 3},     // 7x7 stride 2: a gather (the ResNet stem)
        {12, 64, 12, 12, 64, 3, 1, 1},  // Winograd inside a FastConvolutions scope
    };

    @Test
    void fusedDivisionAndProductAreTheSeparateOpsBitForBit() {
        TiledConvSetting.with(false, ClConvEpilogueTest::fusedOpsAreTheSeparateOps);
    }

    @Test
    void onTheTiledPathTooFusedOpsAreTheSeparateOps() {
        TiledConvSetting.with(true, ClConvEpilogueTest::fusedOpsAreTheSeparateOps);
    }

    private static void fusedOpsAreTheSeparateOps() {
        ClDevice cl = OpenClTestSupport.device();
        for (int[] s : CASES) {
            Conv2dParams p = Conv2dParams.of(s[6], s[7]);
            Shape xs = Shape.of(s[0], s[1], s[2], s[3]);
            Shape ws = Shape.of(s[4], s[1], s[5], s[5]);
            Random rnd = new Random(s[1] * 131L + s[4]);
            try (TensorScope scope = TensorScope.open(); FastConvolutions fast = FastConvolutions.allow()) {
                Tensor x = cl.fromArray(xs, OpenClTestSupport.random(rnd, xs));
                Tensor w = cl.fromArray(ws, OpenClTestSupport.random(rnd, ws));
                Tensor b = cl.fromArray(Shape.of(s[4]), OpenClTestSupport.random(rnd, Shape.of(s[4])));
                Shape ys = cl.conv2d(x, w, b, p).shape();
                Tensor numerator = cl.fromArray(ys, OpenClTestSupport.random(rnd, ys));
                String what = "x " + xs + " w " + ws + " " + p;
                float[] separate = cl.div(numerator, cl.conv2d(x, w, b, p)).toArray();
                assertArrayEquals(separate, cl.conv2dDivide(numerator, x, w, b, p).toArray(), "divide " + what);
                Tensor s2 = cl.fromArray(ys, OpenClTestSupport.random(rnd, ys));
                float[] product = cl.mul(x, cl.conv2dBackwardInput(s2, w, xs, p)).toArray();
                assertArrayEquals(product, cl.conv2dBackwardInputTimes(x, s2, w, p).toArray(), "times " + what);
                Tensor addend = cl.fromArray(xs, OpenClTestSupport.random(rnd, xs));
                assertArrayEquals(cl.add(cl.conv2dBackwardInputTimes(x, s2, w, p), addend).toArray(),
                        cl.conv2dBackwardInputTimesPlus(x, s2, w, p, addend).toArray(), "times plus " + what);
                assertTrue(ClWinograd.applies(xs, ws, p, ConvKernelParams.forDevice(cl.info())) == (s[5] == 3
                        && s[1] >= ClWinograd.MIN_CHANNELS), "Winograd where expected: " + what);
            }
        }
    }

    @Test
    void aConvolutionKeepingItsOutputGivesTheSeparateOpsBitForBit() {
        TiledConvSetting.with(false, ClConvEpilogueTest::keptBodyAndBlockOutputAreTheSeparateOps);
        TiledConvSetting.with(true, ClConvEpilogueTest::keptBodyAndBlockOutputAreTheSeparateOps);
    }

    /** conv2dAddRelu's {relu(conv + residual), conv} against conv2d and addRelu, with dense and padded planes. */
    private static void keptBodyAndBlockOutputAreTheSeparateOps() {
        ClDevice cl = OpenClTestSupport.device();
        for (boolean padded : new boolean[] {false, true}) {
            for (int[] s : CASES) {
                Conv2dParams p = Conv2dParams.of(s[6], s[7]);
                Shape xs = Shape.of(s[0], s[1], s[2], s[3]);
                Shape ws = Shape.of(s[4], s[1], s[5], s[5]);
                Random rnd = new Random(s[1] * 17L + s[4]);
                try (TensorScope scope = TensorScope.open(); FastConvolutions fast = FastConvolutions.allow();
                     AlignedPlanes aligned = padded ? AlignedPlanes.allow() : null) {
                    Tensor x = cl.fromArray(xs, OpenClTestSupport.random(rnd, xs));
                    Tensor w = cl.fromArray(ws, OpenClTestSupport.random(rnd, ws));
                    Tensor b = cl.fromArray(Shape.of(s[4]), OpenClTestSupport.random(rnd, Shape.of(s[4])));
                    Tensor body = cl.conv2d(x, w, b, p);
                    Tensor residual = cl.fromArray(body.shape(), OpenClTestSupport.random(rnd, body.shape()));
                    Tensor[] outputAndBody = cl.conv2dAddRelu(x, w, b, p, residual);
                    String what = "x " + xs + " w " + ws + " " + p + (padded ? ", padded planes" : "");
                    float[] kept = outputAndBody[1].toArray();
                    assertArrayEquals(body.toArray(), kept, "kept body " + what);
                    float[] output = outputAndBody[0].toArray();
                    assertArrayEquals(cl.addRelu(body, residual).toArray(), output, "block output " + what);
                    assertTrue(IntStream.range(0, output.length).anyMatch(i -> output[i] == 0 && kept[i] != 0)
                            && IntStream.range(0, output.length).anyMatch(i -> output[i] > 0), "a ReLU ran: " + what);
                }
            }
        }
    }

    @Test
    void operandsOfAnotherShapeAreRejected() {
        ClDevice cl = OpenClTestSupport.device();
        try (TensorScope scope = TensorScope.open()) {
            Tensor x = cl.zeros(Shape.of(1, 2, 5, 5));
            Tensor w = cl.zeros(Shape.of(3, 2, 3, 3));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> cl.conv2dDivide(cl.zeros(Shape.of(1, 3, 5, 5)), x, w, null, Conv2dParams.of(1, 0)));
            assertTrue(e.getMessage().contains("conv2dDivide") && e.getMessage().contains("numerator (1,3,5,5)")
                    && e.getMessage().contains("(1,3,3,3)"), e.getMessage());
            Tensor s = cl.zeros(Shape.of(1, 3, 3, 3));
            e = assertThrows(IllegalArgumentException.class,
                    () -> cl.conv2dBackwardInputTimesPlus(x, s, w, Conv2dParams.of(1, 0), s));
            assertTrue(e.getMessage().contains("conv2dBackwardInputTimesPlus") && e.getMessage().contains(
                    "factor (1,2,5,5) and addend (1,3,3,3)"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> cl.conv2dAddRelu(x, w, null, Conv2dParams.of(1, 0), null));
            assertTrue(e.getMessage().contains("conv2dAddRelu") && e.getMessage().contains("needs a residual"),
                    e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> cl.conv2dAddRelu(x, w, null, Conv2dParams.of(1, 0), x));
            assertTrue(e.getMessage().contains("residual (1,2,5,5)") && e.getMessage().contains("(1,3,3,3)"),
                    e.getMessage());
        }
    }
}
