package io.ucag.kernels.opencl;

import static io.ucag.kernels.OpenClTestSupport.assertClose;
import static io.ucag.kernels.OpenClTestSupport.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.kernels.OpenClTestSupport;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.java.JavaDevice;
import io.ucag.runtime.ops.Conv2dParams;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * OpenCL conv2dBackwardInput / conv2dBackwardWeight / matmul against the Java backend (itself checked against
 * torch and the adjoint identity), rel 1e-4 plus an atol scaled to the length of each sum.
 */
class ClConvBackwardTest {
    private static final JavaDevice JAVA = new JavaDevice(2);

    @AfterAll
    static void closeJava() {
        JAVA.close();
    }

    /** One convolution geometry: input (n,c,h,w), weight (o,c,kh,kw). */
    record Case(int n, int c, int h, int w, int o, int kh, int kw, Conv2dParams p) {
        Shape input() {
            return Shape.of(n, c, h, w);
        }

        Shape weight() {
            return Shape.of(o, c, kh, kw);
        }

        Shape output() {
            return Shape.of(n, o, p.outH(h, kh), p.outW(w, kw));
        }
    }

    /**
     * Channels 1/3/7/13, stride 2 and 3, padding, dilation 2, 1x1, 7x7 s2 p3, batch > 1, rows narrower and wider
     * than the kernels' 8 lanes and 4-channel tiles, plus random geometries.
     */
    private static List<Case> awkwardCases() {
        List<Case> cases = new ArrayList<>(List.of(
                new Case(1, 1, 1, 1, 1, 1, 1, Conv2dParams.of(1, 0)),
                new Case(2, 3, 7, 5, 4, 3, 3, Conv2dParams.of(1, 1)),
                new Case(1, 7, 13, 11, 5, 3, 2, Conv2dParams.of(2, 1)),
                new Case(2, 13, 9, 10, 3, 3, 3, Conv2dParams.of(1, 2, 2)),
                new Case(1, 3, 23, 19, 7, 7, 7, Conv2dParams.of(2, 3)),
                new Case(3, 5, 6, 7, 6, 1, 1, Conv2dParams.of(1, 0)),
                new Case(2, 4, 9, 7, 3, 1, 1, Conv2dParams.of(2, 0)),
                new Case(1, 2, 8, 8, 3, 3, 3, Conv2dParams.of(3, 0)),
                new Case(2, 3, 10, 9, 2, 2, 3, new Conv2dParams(2, 1, 0, 2, 1, 3)),
                new Case(1, 13, 17, 33, 9, 3, 3, Conv2dParams.of(1, 1)),
                new Case(2, 16, 14, 14, 16, 3, 3, Conv2dParams.of(1, 1)),
                new Case(1, 7, 21, 19, 13, 5, 5, Conv2dParams.of(2, 2, 2)),
                // few channels on rows of several pixel tiles per stride residue (the last one partial)
                new Case(1, 3, 9, 161, 8, 7, 7, Conv2dParams.of(2, 3)),
                new Case(2, 2, 5, 140, 3, 3, 3, Conv2dParams.of(3, 1)),
                // stride-2 columns, both residues per work item: odd and even padding, an even kernel width (a
                // residue-0 tap without its residue-1 partner), a 1-wide kernel, odd widths, partial last tiles
                new Case(2, 3, 11, 200, 5, 7, 7, Conv2dParams.of(2, 3)),
                new Case(1, 2, 6, 50, 4, 4, 4, Conv2dParams.of(2, 2)),
                new Case(1, 4, 7, 31, 3, 2, 5, new Conv2dParams(1, 2, 0, 1, 1, 1)),
                new Case(1, 1, 5, 97, 2, 3, 1, new Conv2dParams(3, 2, 1, 0, 2, 1))));
        Random rng = new Random(17);
        for (int i = 0; i < 24; i++) {
            int kh = 1 + rng.nextInt(4);
            int kw = 1 + rng.nextInt(4);
            Conv2dParams p = new Conv2dParams(1 + rng.nextInt(3), 1 + rng.nextInt(3), rng.nextInt(3), rng.nextInt(3),
                    1 + rng.nextInt(2), 1 + rng.nextInt(2));
            int h = Math.max(1, p.dilationH() * (kh - 1) + 1 - 2 * p.padH()) + rng.nextInt(12);
            int w = Math.max(1, p.dilationW() * (kw - 1) + 1 - 2 * p.padW()) + rng.nextInt(20);
            cases.add(new Case(1 + rng.nextInt(3), 1 + rng.nextInt(9), h, w, 1 + rng.nextInt(9), kh, kw, p));
        }
        return cases;
    }

    @Test
    void inputAndWeightGradientsMatchJava() {
        ClDevice cl = OpenClTestSupport.device();
        Random rng = new Random(23);
        for (Case k : awkwardCases()) {
            float[] x = random(rng, k.input());
            float[] w = random(rng, k.weight());
            float[] g = random(rng, k.output());
            try (TensorScope scope = TensorScope.open()) {
                float[] dxJava = JAVA.conv2dBackwardInput(JAVA.fromArray(k.output(), g),
                        JAVA.fromArray(k.weight(), w), k.input(), k.p()).toArray();
                float[] dxCl = cl.conv2dBackwardInput(cl.fromArray(k.output(), g), cl.fromArray(k.weight(), w),
                        k.input(), k.p()).toArray();
                assertClose(k + " input gradient", dxJava, dxCl, 1e-4, 1e-6 * Math.sqrt(k.o() * k.kh() * k.kw()));
                float[] dwJava = JAVA.conv2dBackwardWeight(JAVA.fromArray(k.output(), g),
                        JAVA.fromArray(k.input(), x), k.kh(), k.kw(), k.p()).toArray();
                float[] dwCl = cl.conv2dBackwardWeight(cl.fromArray(k.output(), g), cl.fromArray(k.input(), x),
                        k.kh(), k.kw(), k.p()).toArray();
                assertClose(k + " weight gradient", dwJava, dwCl, 1e-4,
                        1e-6 * Math.sqrt(k.output().numel() / (double) k.o()));
            }
        }
    }

    @Test
    void otherTileSizesGiveTheSameGradients() {
        // the defaults depend on the device; these cover 8 and 4 lanes and tiles that divide nothing
        ClDevice cl = OpenClTestSupport.device();
        Random rng = new Random(31);
        List<Case> cases = awkwardCases().subList(0, 14);
        for (ConvBackwardKernelParams tiles : List.of(new ConvBackwardKernelParams(8, 8, 8, 8),
                new ConvBackwardKernelParams(4, 3, 5, 3))) {
            for (Case k : cases) {
                float[] x = random(rng, k.input());
                float[] w = random(rng, k.weight());
                float[] g = random(rng, k.output());
                try (TensorScope scope = TensorScope.open()) {
                    float[] dxJava = JAVA.conv2dBackwardInput(JAVA.fromArray(k.output(), g),
                            JAVA.fromArray(k.weight(), w), k.input(), k.p()).toArray();
                    float[] dxCl = ClConvBackward.conv2dBackwardInput(cl, cl.fromArray(k.output(), g),
                            cl.fromArray(k.weight(), w), k.input(), k.p(), tiles).toArray();
                    assertClose(tiles + " " + k + " input gradient", dxJava, dxCl, 1e-4,
                            1e-6 * Math.sqrt(k.o() * k.kh() * k.kw()));
                    float[] dwJava = JAVA.conv2dBackwardWeight(JAVA.fromArray(k.output(), g),
                            JAVA.fromArray(k.input(), x), k.kh(), k.kw(), k.p()).toArray();
                    float[] dwCl = ClConvBackward.conv2dBackwardWeight(cl, cl.fromArray(k.output(), g),
                            cl.fromArray(k.input(), x), k.kh(), k.kw(), k.p(), tiles).toArray();
                    assertClose(tiles + " " + k + " weight gradient", dwJava, dwCl, 1e-4,
                            1e-6 * Math.sqrt(k.output().numel() / (double) k.o()));
                }
            }
            int[][] sizes = {{1, 7, 1}, {3, 5, 9}, {17, 13, 33}};
            for (int[] mkn : sizes) {
                for (int variant = 0; variant < 4; variant++) {
                    compareMatmul(cl, rng, mkn[0], mkn[1], mkn[2], (variant & 1) != 0, (variant & 2) != 0, tiles);
                }
            }
        }
    }

    private static void compareMatmul(ClDevice cl, Random rng, int m, int k, int n, boolean ta, boolean tb,
                                      ConvBackwardKernelParams tiles) {
        Shape as = ta ? Shape.of(k, m) : Shape.of(m, k);
        Shape bs = tb ? Shape.of(n, k) : Shape.of(k, n);
        float[] a = random(rng, as);
        float[] b = random(rng, bs);
        try (TensorScope scope = TensorScope.open()) {
            float[] expected = JAVA.matmul(JAVA.fromArray(as, a), JAVA.fromArray(bs, b), ta, tb).toArray();
            Tensor at = cl.fromArray(as, a);
            Tensor bt = cl.fromArray(bs, b);
            float[] actual = (tiles == null ? cl.matmul(at, bt, ta, tb)
                    : ClConvBackward.matmul(cl, at, bt, ta, tb, tiles)).toArray();
            assertClose(m + "x" + k + "x" + n + " tA=" + ta + " tB=" + tb + " " + tiles, expected, actual, 1e-4,
                    1e-6 * Math.sqrt(k));
        }
    }

    @Test
    void strideTwoWithPaddingMatchesTorch() {
        // torch.nn.grad.conv2d_input((1,1,3,3), [[1,2],[3,4]], [[1,2],[3,4]], stride=2, padding=1) and
        // torch.nn.grad.conv2d_weight(arange(1,10).reshape(1,1,3,3), (1,1,2,2), same gradient, stride=2, padding=1)
        ClDevice cl = OpenClTestSupport.device();
        Conv2dParams p = Conv2dParams.of(2, 1);
        try (TensorScope scope = TensorScope.open()) {
            Tensor g = cl.fromArray(Shape.of(1, 1, 2, 2), new float[] {1, 2, 3, 4});
            Tensor w = cl.fromArray(Shape.of(1, 1, 2, 2), new float[] {1, 2, 3, 4});
            Tensor x = cl.fromArray(Shape.of(1, 1, 3, 3), new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
            assertArrayEquals(new float[] {4, 6, 8, 6, 4, 8, 12, 12, 16},
                    cl.conv2dBackwardInput(g, w, x.shape(), p).toArray());
            assertArrayEquals(new float[] {20, 36, 36, 64}, cl.conv2dBackwardWeight(g, x, 2, 2, p).toArray());
        }
    }

    @Test
    void matmulMatchesJavaForAllTransposes() {
        ClDevice cl = OpenClTestSupport.device();
        Random rng = new Random(29);
        int[][] sizes = {{1, 1, 1}, {1, 7, 1}, {3, 1, 5}, {1, 300, 17}, {65, 129, 257}, {130, 3, 70}, {2, 513, 9},
                {7, 13, 600}, {9, 8, 8}, {8, 16, 16}, {16, 33, 31}, {31, 17, 47}};
        for (int[] mkn : sizes) {
            int m = mkn[0];
            int k = mkn[1];
            int n = mkn[2];
            for (int variant = 0; variant < 4; variant++) {
                compareMatmul(cl, rng, m, k, n, (variant & 1) != 0, (variant & 2) != 0, null);
            }
        }
    }

    @Test
    void tuningParametersLoadAndCheck() {
        ConvBackwardKernelParams p = ConvBackwardKernelParams.forDevice(OpenClTestSupport.device().info());
        assertTrue(p.vectorWidth() == 4 || p.vectorWidth() == 8 || p.vectorWidth() == 16, p.toString());
        ConvBackwardKernelParams q = new ConvBackwardKernelParams(8, 8, 8, 16);
        assertEquals(16, q.matmulTileM(16));
        assertEquals(16, q.matmulTileM(100));
        assertEquals(4, q.matmulTileM(15));
        assertEquals(1, q.matmulTileM(3));
        assertEquals("-DVECTOR_WIDTH=8 -DMATMUL_TILE_M=4", q.matmulOptions(4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ConvBackwardKernelParams(12, 8, 8, 16));
        assertTrue(e.getMessage().contains("vectorWidth must be 4, 8 or 16, got 12"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ConvBackwardKernelParams(8, 0, 8, 16));
    }

    @Test
    void badShapesNameTheOpAndTheShapes() {
        ClDevice cl = OpenClTestSupport.device();
        try (TensorScope scope = TensorScope.open()) {
            Tensor w = cl.zeros(Shape.of(4, 3, 3, 3));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> cl.conv2dBackwardInput(cl.zeros(Shape.of(2, 5, 8, 8)), w, Shape.of(2, 3, 8, 8),
                            Conv2dParams.of(1, 1)));
            assertTrue(e.getMessage().contains(
                    "conv2dBackwardInput: gradient (2,5,8,8) must have the forward output's shape (2,4,8,8)"),
                    e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> cl.conv2dBackwardWeight(
                    cl.zeros(Shape.of(2, 4, 7, 8)), cl.zeros(Shape.of(2, 3, 8, 8)), 3, 3, Conv2dParams.of(1, 1)));
            assertTrue(e.getMessage().contains("conv2dBackwardWeight: gradient (2,4,7,8)"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> cl.matmul(cl.zeros(Shape.of(2, 3)), cl.zeros(Shape.of(2, 3)), true, true));
            assertTrue(e.getMessage().contains("matmul: inner dimensions differ: (2,3)^T times (2,3)^T"),
                    e.getMessage());
        }
    }
}
