package io.ucag.kernels.opencl;

import static io.ucag.kernels.OpenClTestSupport.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.kernels.OpenClTestSupport;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.java.JavaDevice;
import io.ucag.runtime.ops.Conv2dParams;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** OpenCL conv2d and linear == the Java reference on awkward shapes, every geometry parameter and tile tails. */
class ClConvTest {
    /** One thread: no pool to shut down, and the CPU is shared with the OpenCL device. */
    private static final JavaDevice JAVA = new JavaDevice(1);
    private static final double RTOL = 1e-4;
    private static final double ATOL = 1e-5;

    @Test
    void convMatchesJavaOnAwkwardShapes() {
        int[][] cases = {
            // n, c, h, w, o, kh, kw, strideH, strideW, padH, padW, dilH, dilW
            {1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1},
            {1, 3, 7, 7, 13, 3, 3, 1, 1, 1, 1, 1, 1},     // 13 output channels: a partial channel block
            {2, 13, 13, 13, 7, 3, 3, 2, 2, 1, 1, 1, 1},   // stride 2
            {3, 7, 9, 13, 17, 1, 1, 1, 1, 0, 0, 1, 1},    // 1x1, 117 pixels: padded copy of the flattened rows
            {2, 5, 8, 8, 16, 1, 1, 1, 1, 0, 0, 1, 1},     // 1x1, 64 pixels: GEMM on the input in place
            {2, 6, 14, 14, 9, 1, 1, 2, 2, 0, 0, 1, 1},    // 1x1 stride 2 (ResNet shortcut), in place
            {2, 3, 29, 31, 20, 7, 7, 2, 2, 3, 3, 1, 1},   // ResNet stem shape
            {1, 4, 12, 12, 5, 3, 3, 1, 1, 2, 2, 2, 2},    // dilation with padding
            {1, 4, 6, 17, 6, 2, 5, 3, 1, 0, 2, 1, 3},     // rectangular everything
            {2, 3, 5, 37, 33, 3, 3, 1, 1, 1, 1, 1, 1},    // 37-pixel rows: unequal tiles; 33 channels
            {1, 2, 10, 18, 3, 3, 3, 1, 1, 0, 0, 1, 1},    // no padding, 16-pixel rows: conv2d_rows in place
            {1, 3, 4, 4, 2, 5, 5, 1, 1, 2, 2, 1, 1},      // kernel larger than the image
            {1, 70, 5, 5, 40, 3, 3, 1, 1, 1, 1, 1, 1},    // depth 630
            {2, 3, 15, 30, 18, 3, 3, 1, 1, 1, 1, 1, 1},   // 30-pixel rows: conv2d_rows with a partial last vector
            {1, 3, 9, 30, 5, 3, 3, 1, 1, 2, 2, 2, 2},     // conv2d_rows with dilation
            {2, 4, 11, 40, 6, 2, 5, 3, 1, 0, 2, 1, 3},    // conv2d_rows with vertical stride, horizontal dilation
        };
        Random rnd = new Random(11);
        for (int[] s : cases) {
            Conv2dParams p = new Conv2dParams(s[7], s[8], s[9], s[10], s[11], s[12]);
            checkConv(rnd, Shape.of(s[0], s[1], s[2], s[3]), Shape.of(s[4], s[1], s[5], s[6]), p, true);
            checkConv(rnd, Shape.of(s[0], s[1], s[2], s[3]), Shape.of(s[4], s[1], s[5], s[6]), p, false);
        }
    }

    @Property(tries = 15, seed = "20250611") // fixed seed: the same programs each run hit PoCL's kernel cache
    void convMatchesJavaOnRandomGeometry(@ForAll @IntRange(min = 1, max = 3) int n,
            @ForAll @IntRange(min = 1, max = 9) int c, @ForAll @IntRange(min = 1, max = 20) int h,
            @ForAll @IntRange(min = 1, max = 40) int w, @ForAll @IntRange(min = 1, max = 35) int o,
            @ForAll @IntRange(min = 1, max = 5) int kh, @ForAll @IntRange(min = 1, max = 5) int kw,
            @ForAll @IntRange(min = 1, max = 3) int stride, @ForAll @IntRange(min = 0, max = 2) int pad,
            @ForAll @IntRange(min = 1, max = 2) int dilation, @ForAll boolean bias, @ForAll long seed) {
        Conv2dParams p = new Conv2dParams(stride, 1 + (stride % 2), pad, pad / 2, dilation, 1);
        if (p.outH(h, kh) < 1 || p.outW(w, kw) < 1) {
            return; // the dilated kernel does not fit: both backends reject it (tested below)
        }
        checkConv(new Random(seed), Shape.of(n, c, h, w), Shape.of(o, c, kh, kw), p, bias);
    }

    @Test
    void resNetShapesMatchJava() {
        Random rnd = new Random(3);
        checkConv(rnd, Shape.of(1, 64, 14, 14), Shape.of(64, 64, 3, 3), Conv2dParams.of(1, 1), true);
        checkConv(rnd, Shape.of(1, 32, 28, 28), Shape.of(48, 32, 3, 3), Conv2dParams.of(2, 1), false);
        checkConv(rnd, Shape.of(2, 64, 7, 7), Shape.of(128, 64, 1, 1), Conv2dParams.of(1, 0), true);
    }

    @Test
    void prePackedWeightsGiveTheSameResult() {
        ClDevice cl = OpenClTestSupport.device();
        Random rnd = new Random(5);
        Shape xs = Shape.of(2, 5, 11, 9);
        Shape ws = Shape.of(19, 5, 3, 3);
        float[] x = OpenClTestSupport.random(rnd, xs);
        float[] w = OpenClTestSupport.random(rnd, ws);
        float[] b = OpenClTestSupport.random(rnd, Shape.of(19));
        Conv2dParams p = Conv2dParams.of(2, 1);
        try (TensorScope scope = TensorScope.open();
             ClConvWeights packed = ClConvWeights.pack(cl, cl.fromArray(ws, w))) {
            Tensor bc = cl.fromArray(Shape.of(19), b);
            float[] expected = JAVA.conv2d(JAVA.fromArray(xs, x), JAVA.fromArray(ws, w),
                    JAVA.fromArray(Shape.of(19), b), p).toArray();
            for (int i = 0; i < 2; i++) {
                assertClose("packed conv, run " + i, expected, packed.conv2d(cl.fromArray(xs, x), bc, p).toArray(),
                        RTOL, ATOL);
            }
            String m = assertThrows(IllegalArgumentException.class,
                    () -> packed.conv2d(cl.zeros(Shape.of(1, 4, 9, 9)), null, p)).getMessage();
            assertTrue(m.startsWith("conv2d") && m.contains("(1,4,9,9)") && m.contains("(19,5,3,3)"), m);
        }
    }

    @Test
    void linearMatchesJava() {
        int[][] cases = {{1, 1, 1}, {1, 7, 13}, {3, 33, 17}, {5, 1000, 70}, {16, 300, 100}, {2, 15, 3}, {9, 64, 1}};
        Random rnd = new Random(9);
        ClDevice cl = OpenClTestSupport.device();
        for (int[] s : cases) {
            for (boolean withBias : new boolean[] {true, false}) {
                Shape xs = Shape.of(s[0], s[1]);
                Shape ws = Shape.of(s[2], s[1]);
                float[] x = OpenClTestSupport.random(rnd, xs);
                float[] w = OpenClTestSupport.random(rnd, ws);
                float[] b = withBias ? OpenClTestSupport.random(rnd, Shape.of(s[2])) : null;
                try (TensorScope scope = TensorScope.open()) {
                    Tensor expected = JAVA.linear(JAVA.fromArray(xs, x), JAVA.fromArray(ws, w),
                            b == null ? null : JAVA.fromArray(Shape.of(s[2]), b));
                    Tensor actual = cl.linear(cl.fromArray(xs, x), cl.fromArray(ws, w),
                            b == null ? null : cl.fromArray(Shape.of(s[2]), b));
                    assertEquals(expected.shape(), actual.shape());
                    assertClose("linear " + xs + " x " + ws + (withBias ? " + bias" : ""), expected.toArray(),
                            actual.toArray(), RTOL, ATOL);
                }
            }
        }
    }

    @Test
    void badShapesAreRejectedLikeJava() {
        ClDevice cl = OpenClTestSupport.device();
        try (TensorScope scope = TensorScope.open()) {
            Tensor x = cl.zeros(Shape.of(1, 3, 8, 8));
            String m1 = assertThrows(IllegalArgumentException.class,
                    () -> cl.conv2d(x, cl.zeros(Shape.of(4, 2, 3, 3)), null, Conv2dParams.of(1, 0))).getMessage();
            assertTrue(m1.startsWith("conv2d") && m1.contains("(1,3,8,8)") && m1.contains("(4,2,3,3)"), m1);
            String m2 = assertThrows(IllegalArgumentException.class,
                    () -> cl.conv2d(x, cl.zeros(Shape.of(4, 3, 9, 9)), null, Conv2dParams.of(1, 0))).getMessage();
            assertTrue(m2.startsWith("conv2d") && m2.contains("smaller"), m2);
            String m3 = assertThrows(IllegalArgumentException.class,
                    () -> cl.linear(cl.zeros(Shape.of(2, 5)), cl.zeros(Shape.of(3, 4)), null)).getMessage();
            assertTrue(m3.startsWith("linear") && m3.contains("(2,5)") && m3.contains("(3,4)"), m3);
        }
    }

    @Test
    void kernelParamsSplitRowsEvenlyAndRejectBadWidths() {
        ConvKernelParams p = new ConvKernelParams(16, 8, 16, 4, 2, 16);
        assertEquals(7, p.tilePxFor(7));   // one tile of 7, not 8 with one wasted
        assertEquals(8, p.tilePxFor(56));
        assertEquals(7, p.tilePxFor(28));  // 4 tiles of 7
        assertEquals(7, p.tilePxFor(20));  // 3 tiles of 7 (one pixel wasted) rather than 8 + 8 + 4
        assertEquals(1, p.tilePxFor(1));
        assertTrue(p.convOptions(3, 1, new Conv2dParams(2, 1, 1, 0, 1, 2), 7)
                .contains("-DTILE_OC=16 -DTILE_PX=7 -DROW_PX=16 -DKH=3 -DKW=1 -DSTRIDE_H=2 -DSTRIDE_W=1"));
        String m = assertThrows(IllegalArgumentException.class, () -> new ConvKernelParams(12, 8, 16, 4, 2, 16))
                .getMessage();
        assertTrue(m.contains("tileOc") && m.contains("12"), m);
        assertThrows(IllegalArgumentException.class, () -> new ConvKernelParams(16, 17, 16, 4, 2, 16));
    }

    private static void checkConv(Random rnd, Shape xs, Shape ws, Conv2dParams p, boolean withBias) {
        ClDevice cl = OpenClTestSupport.device();
        float[] x = OpenClTestSupport.random(rnd, xs);
        float[] w = OpenClTestSupport.random(rnd, ws);
        Shape bs = Shape.of(ws.dim(0));
        float[] b = withBias ? OpenClTestSupport.random(rnd, bs) : null;
        try (TensorScope scope = TensorScope.open()) {
            Tensor expected = JAVA.conv2d(JAVA.fromArray(xs, x), JAVA.fromArray(ws, w),
                    b == null ? null : JAVA.fromArray(bs, b), p);
            Tensor actual = cl.conv2d(cl.fromArray(xs, x), cl.fromArray(ws, w), b == null ? null : cl.fromArray(bs, b),
                    p);
            String what = "conv2d " + xs + " * " + ws + " " + p + (withBias ? " + bias" : "");
            assertEquals(expected.shape(), actual.shape(), what);
            // the sum over C*kh*kw terms of size <= 1 can cancel: scale the absolute tolerance with the depth
            assertClose(what, expected.toArray(), actual.toArray(), RTOL, ATOL * Math.sqrt(ws.size(1, 4)));
        }
    }
}
