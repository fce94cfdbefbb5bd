package io.ucag.runtime.java;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.Conv2dParams;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Convolution gradients and matmul on the Java device: hand-computed cases (checked against
 * {@code torch.nn.grad.conv2d_input / conv2d_weight}), the adjoint identity
 * {@code <conv(x, w), g> == <x, dInput(g, w)> == <w, dWeight(g, x)>} against a naive double-precision
 * forward, and argument errors.
 */
class JavaConvBackwardTest {
    private static final JavaDevice D = new JavaDevice(2);
    private static final float[] W_1234 = {1, 2, 3, 4};
    private static final float[] X_1TO9 = {1, 2, 3, 4, 5, 6, 7, 8, 9};

    @AfterAll
    static void closeDevice() {
        D.close();
    }

    private static Tensor t(float[] values, int... dims) {
        return D.fromArray(Shape.of(dims), values);
    }

    private static float[] backwardInput(float[] g, Shape gs, float[] w, Shape ws, Shape xs, Conv2dParams p) {
        return D.toArray(D.conv2dBackwardInput(D.fromArray(gs, g), D.fromArray(ws, w), xs, p));
    }

    private static float[] backwardWeight(float[] g, Shape gs, float[] x, Shape xs, int kh, int kw, Conv2dParams p) {
        return D.toArray(D.conv2dBackwardWeight(D.fromArray(gs, g), D.fromArray(xs, x), kh, kw, p));
    }

    // ---- hand-computed cases ----------------------------------------------------------------------------

    @Test
    void strideTwoLeavesTheUnreachedLastRowAndColumnAtZero() {
        // 3x3 input, 2x2 kernel, stride 2: one window over rows/cols 0-1; row 2 and column 2 get nothing.
        // torch.nn.grad.conv2d_input((1,1,3,3), w, [[5]], stride=2) and conv2d_weight(x, (1,1,2,2), ...)
        Conv2dParams p = Conv2dParams.of(2, 0);
        Shape xs = Shape.of(1, 1, 3, 3);
        assertArrayEquals(new float[] {5, 10, 0, 15, 20, 0, 0, 0, 0},
                backwardInput(new float[] {5}, Shape.of(1, 1, 1, 1), W_1234, Shape.of(1, 1, 2, 2), xs, p));
        assertArrayEquals(new float[] {5, 10, 20, 25},
                backwardWeight(new float[] {5}, Shape.of(1, 1, 1, 1), X_1TO9, xs, 2, 2, p));
    }

    @Test
    void strideTwoWithPaddingTilesTheInputExactlyOnce() {
        // pad 1: windows start at -1 and 1, so input (iy,ix) meets g[(iy+1)/2][(ix+1)/2] * w[(iy+1)%2][(ix+1)%2]
        // torch.nn.grad.conv2d_input((1,1,3,3), w, g, stride=2, padding=1) and conv2d_weight likewise
        Conv2dParams p = Conv2dParams.of(2, 1);
        Shape xs = Shape.of(1, 1, 3, 3);
        float[] g = {1, 2, 3, 4};
        assertArrayEquals(new float[] {4, 6, 8, 6, 4, 8, 12, 12, 16},
                backwardInput(g, Shape.of(1, 1, 2, 2), W_1234, Shape.of(1, 1, 2, 2), xs, p));
        // dW[1][1] = 1*x00 + 2*x02 + 3*x20 + 4*x22 = 1 + 6 + 21 + 36
        assertArrayEquals(new float[] {20, 36, 36, 64},
                backwardWeight(g, Shape.of(1, 1, 2, 2), X_1TO9, xs, 2, 2, p));
    }

    @Test
    void dilationTwoTouchesOnlyTheCorners() {
        // a 2x2 kernel with dilation 2 over a 3x3 input: one window with taps at the four corners
        // torch.nn.grad.conv2d_input((1,1,3,3), w, [[2]], dilation=2) and conv2d_weight likewise
        Conv2dParams p = Conv2dParams.of(1, 0, 2);
        Shape xs = Shape.of(1, 1, 3, 3);
        assertArrayEquals(new float[] {2, 0, 4, 0, 0, 0, 6, 0, 8},
                backwardInput(new float[] {2}, Shape.of(1, 1, 1, 1), W_1234, Shape.of(1, 1, 2, 2), xs, p));
        assertArrayEquals(new float[] {2, 6, 14, 18},
                backwardWeight(new float[] {2}, Shape.of(1, 1, 1, 1), X_1TO9, xs, 2, 2, p));
    }

    @Test
    void twoChannelsInAndOutMatchTorch() {
        // x = arange(18).reshape(1,2,3,3) - 8, w = arange(16).reshape(2,2,2,2) - 7, g = arange(8).reshape(1,2,2,2) - 3
        // torch.nn.grad.conv2d_input((1,2,3,3), w, g) and torch.nn.grad.conv2d_weight(x, (2,2,2,2), g)
        float[] x = ramp(18, -8);
        float[] w = ramp(16, -7);
        float[] g = ramp(8, -3);
        Conv2dParams p = Conv2dParams.of(1, 0);
        assertArrayEquals(new float[] {22, 36, 16, 28, 48, 24, 14, 28, 16, 14, 28, 16, 28, 64, 40, 22, 52, 32},
                backwardInput(g, Shape.of(1, 2, 2, 2), w, Shape.of(2, 2, 2, 2), Shape.of(1, 2, 3, 3), p));
        assertArrayEquals(new float[] {43, 37, 25, 19, -11, -17, -29, -35, -53, -43, -23, -13, 37, 47, 67, 77},
                backwardWeight(g, Shape.of(1, 2, 2, 2), x, Shape.of(1, 2, 3, 3), 2, 2, p));
    }

    @Test
    void strideThreeGivesZeroToRowsAndColumnsNoWindowReaches() {
        // 8x8 input, 3x3 kernel, stride 3: windows cover 0..5 only, so rows and columns 6 and 7 stay 0
        Random rng = new Random(3);
        Shape xs = Shape.of(2, 3, 8, 8);
        float[] dx = backwardInput(random(rng, 2 * 4 * 2 * 2), Shape.of(2, 4, 2, 2), random(rng, 4 * 3 * 9),
                Shape.of(4, 3, 3, 3), xs, Conv2dParams.of(3, 0));
        int nonZero = 0;
        for (int i = 0; i < dx.length; i++) {
            int y = i / 8 % 8;
            int x = i % 8;
            if (y >= 6 || x >= 6) {
                assertEquals(0f, dx[i], "element " + i);
            } else if (dx[i] != 0f) {
                nonZero++;
            }
        }
        assertEquals(2 * 3 * 36, nonZero);
    }

    // ---- adjoint identity -------------------------------------------------------------------------------

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

    /** Awkward geometries: channel counts 1/3/7/13, stride 2 and 3, padding, dilation, 1x1, 7x7 s2 p3, batch > 1. */
    static List<Case> awkwardCases() {
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
                // 512*9 = 4608 rows per pixel: two im2col blocks per image
                new Case(1, 512, 16, 16, 3, 3, 3, Conv2dParams.of(1, 1)),
                // 900 output pixels and 70 filters: several GEMM tiles each way
                new Case(1, 64, 30, 30, 70, 3, 3, Conv2dParams.of(1, 1))));
        Random rng = new Random(11);
        for (int i = 0; i < 20; i++) {
            int kh = 1 + rng.nextInt(4);
            int kw = 1 + rng.nextInt(4);
            Conv2dParams p = new Conv2dParams(1 + rng.nextInt(3), 1 + rng.nextInt(3), rng.nextInt(3), rng.nextInt(3),
                    1 + rng.nextInt(2), 1 + rng.nextInt(2));
            int h = Math.max(1, p.dilationH() * (kh - 1) + 1 - 2 * p.padH()) + rng.nextInt(8);
            int w = Math.max(1, p.dilationW() * (kw - 1) + 1 - 2 * p.padW()) + rng.nextInt(8);
            cases.add(new Case(1 + rng.nextInt(3), 1 + rng.nextInt(9), h, w, 1 + rng.nextInt(9), kh, kw, p));
        }
        return cases;
    }

    @Test
    void gradientsAreTheAdjointsOfTheForwardConvolution() {
        Random rng = new Random(42);
        for (Case k : awkwardCases()) {
            float[] x = random(rng, k.input().numel());
            float[] w = random(rng, k.weight().numel());
            float[] g = random(rng, k.output().numel());
            double[] y = naiveConv(x, w, k);
            float[] dx = backwardInput(g, k.output(), w, k.weight(), k.input(), k.p());
            float[] dw = backwardWeight(g, k.output(), x, k.input(), k.kh(), k.kw(), k.p());
            double forward = dot(y, g);
            assertAdjoint(k + " input", forward, x, dx);
            assertAdjoint(k + " weight", forward, w, dw);
        }
    }

    /** {@code <x, xGrad> == forward} to rel 1e-5 of the Cauchy-Schwarz bound |x| |xGrad|. */
    private static void assertAdjoint(String what, double forward, float[] x, float[] xGrad) {
        double adjoint = dot(toDouble(x), xGrad);
        double scale = Math.sqrt(dot(toDouble(x), x) * dot(toDouble(xGrad), xGrad));
        assertTrue(Math.abs(forward - adjoint) <= 1e-5 * scale + 1e-12,
                what + ": <Ax,y> = " + forward + " but <x,A^T y> = " + adjoint);
    }

    /** The forward convolution in double precision: seven plain loops. */
    static double[] naiveConv(float[] x, float[] w, Case k) {
        Shape os = k.output();
        int oh = os.dim(2);
        int ow = os.dim(3);
        Conv2dParams p = k.p();
        double[] y = new double[os.numel()];
        for (int n = 0; n < k.n(); n++) {
            for (int o = 0; o < k.o(); o++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        double s = 0;
                        for (int c = 0; c < k.c(); c++) {
                            for (int ky = 0; ky < k.kh(); ky++) {
                                int iy = oy * p.strideH() - p.padH() + ky * p.dilationH();
                                for (int kx = 0; kx < k.kw(); kx++) {
                                    int ix = ox * p.strideW() - p.padW() + kx * p.dilationW();
                                    if (iy >= 0 && iy < k.h() && ix >= 0 && ix < k.w()) {
                                        s += (double) x[((n * k.c() + c) * k.h() + iy) * k.w() + ix]
                                                * w[((o * k.c() + c) * k.kh() + ky) * k.kw() + kx];
                                    }
                                }
                            }
                        }
                        y[((n * k.o() + o) * oh + oy) * ow + ox] = s;
                    }
                }
            }
        }
        return y;
    }

    // ---- matmul -----------------------------------------------------------------------------------------

    @Test
    void matmulOfAllFourTransposeCombinations() {
        // [[1,2,3],[4,5,6]] @ [[7,8],[9,10],[11,12]] = [[58,64],[139,154]], whichever operands arrive transposed
        Tensor a = t(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor aT = t(new float[] {1, 4, 2, 5, 3, 6}, 3, 2);
        Tensor b = t(new float[] {7, 8, 9, 10, 11, 12}, 3, 2);
        Tensor bT = t(new float[] {7, 9, 11, 8, 10, 12}, 2, 3);
        float[] expected = {58, 64, 139, 154};
        assertArrayEquals(expected, D.toArray(D.matmul(a, b, false, false)));
        assertArrayEquals(expected, D.toArray(D.matmul(aT, b, true, false)));
        assertArrayEquals(expected, D.toArray(D.matmul(a, bT, false, true)));
        assertArrayEquals(expected, D.toArray(D.matmul(aT, bT, true, true)));
        assertEquals(Shape.of(2, 2), D.matmul(aT, bT, true, true).shape());
    }

    @Test
    void matmulMatchesNaiveProductOnAwkwardSizes() {
        Random rng = new Random(5);
        int[][] sizes = {{1, 1, 1}, {1, 7, 1}, {3, 1, 5}, {1, 300, 17}, {65, 129, 257}, {130, 3, 70}, {2, 513, 9},
                {7, 13, 600}};
        for (int[] mkn : sizes) {
            int m = mkn[0];
            int k = mkn[1];
            int n = mkn[2];
            float[] a = random(rng, m * k); // (m,k) row-major
            float[] b = random(rng, k * n); // (k,n) row-major
            double[] expected = new double[m * n];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int q = 0; q < k; q++) {
                        s += (double) a[i * k + q] * b[q * n + j];
                    }
                    expected[i * n + j] = s;
                }
            }
            for (int variant = 0; variant < 4; variant++) {
                boolean ta = (variant & 1) != 0;
                boolean tb = (variant & 2) != 0;
                Tensor at = ta ? t(transpose(a, m, k), k, m) : t(a, m, k);
                Tensor bt = tb ? t(transpose(b, k, n), n, k) : t(b, k, n);
                float[] c = D.toArray(D.matmul(at, bt, ta, tb));
                for (int i = 0; i < c.length; i++) {
                    double tol = 1e-5 * Math.sqrt(k) + 1e-5 * Math.abs(expected[i]);
                    assertEquals(expected[i], c[i], tol, m + "x" + k + "x" + n + " tA=" + ta + " tB=" + tb + " @" + i);
                }
            }
        }
    }

    @Test
    void matmulTransposeFlagsAreMutuallyAdjoint() {
        // <A B, Y> == <A, Y B^T> == <B, A^T Y>, each side computed by matmul with the flags
        Random rng = new Random(9);
        int m = 37;
        int k = 19;
        int n = 53;
        float[] a = random(rng, m * k);
        float[] b = random(rng, k * n);
        float[] y = random(rng, m * n);
        Tensor at = t(a, m, k);
        Tensor bt = t(b, k, n);
        Tensor yt = t(y, m, n);
        double forward = dot(toDouble(D.toArray(D.matmul(at, bt, false, false))), y);
        assertAdjoint("matmul wrt A", forward, a, D.toArray(D.matmul(yt, bt, false, true)));
        assertAdjoint("matmul wrt B", forward, b, D.toArray(D.matmul(at, yt, true, false)));
    }

    // ---- argument errors --------------------------------------------------------------------------------

    private static void assertError(String mustContain, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(mustContain), e.getMessage());
    }

    @Test
    void badShapesNameTheOpAndTheShapes() {
        Tensor w = D.zeros(Shape.of(4, 3, 3, 3));
        Tensor x = D.zeros(Shape.of(2, 3, 8, 8));
        Conv2dParams p = Conv2dParams.of(1, 1);
        assertError("conv2dBackwardInput: gradient (2,5,8,8) must have the forward output's shape (2,4,8,8)",
                () -> D.conv2dBackwardInput(D.zeros(Shape.of(2, 5, 8, 8)), w, x.shape(), p));
        assertError("conv2dBackwardInput: weight (4,3,3,3) does not fit input (2,2,8,8)",
                () -> D.conv2dBackwardInput(D.zeros(Shape.of(2, 4, 8, 8)), w, Shape.of(2, 2, 8, 8), p));
        assertError("conv2dBackwardWeight: gradient (2,4,7,8) must have the forward output's shape (2,4,8,8)",
                () -> D.conv2dBackwardWeight(D.zeros(Shape.of(2, 4, 7, 8)), x, 3, 3, p));
        assertError("conv2dBackwardWeight: needs an input (N,C,H,W) and a kernel >= 1x1, got (3,8,8) and 0x3",
                () -> D.conv2dBackwardWeight(D.zeros(Shape.of(2, 4, 8, 8)), D.zeros(Shape.of(3, 8, 8)), 0, 3, p));
        assertError("matmul: inner dimensions differ: (2,3) times (2,3)",
                () -> D.matmul(D.zeros(Shape.of(2, 3)), D.zeros(Shape.of(2, 3)), false, false));
        assertError("matmul: inner dimensions differ: (2,3)^T times (2,3)^T",
                () -> D.matmul(D.zeros(Shape.of(2, 3)), D.zeros(Shape.of(2, 3)), true, true));
        assertError("matmul: needs rank-2 tensors, got (2,3,1) and (3,2)",
                () -> D.matmul(D.zeros(Shape.of(2, 3, 1)), D.zeros(Shape.of(3, 2)), false, false));
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private static float[] ramp(int count, int first) {
        float[] v = new float[count];
        for (int i = 0; i < count; i++) {
            v[i] = first + i;
        }
        return v;
    }

    static float[] random(Random rng, int count) {
        float[] v = new float[count];
        for (int i = 0; i < count; i++) {
            v[i] = rng.nextFloat() * 2 - 1;
        }
        return v;
    }

    private static float[] transpose(float[] v, int rows, int cols) {
        float[] t = new float[v.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = v[r * cols + c];
            }
        }
        return t;
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    private static double dot(double[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
