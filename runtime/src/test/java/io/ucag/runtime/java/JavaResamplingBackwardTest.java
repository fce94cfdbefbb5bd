package io.ucag.runtime.java;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.ResizeMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * resizeBackward and gaussianBlurBackward: exact values from torch autograd, the full matrix of small cases
 * against the transpose of a double-precision forward ({@link ResamplingReference}), dot-product adjoint tests
 * {@code <A x, y> == <x, A^T y>} on the shapes UCAG uses, and argument errors.
 */
class JavaResamplingBackwardTest {
    private static final JavaDevice D = new JavaDevice(2);

    /** (in h, in w, out h, out w): up and down by integer and non-integer factors, and the UCAG/CAM sizes. */
    static List<Arguments> resizeCases() {
        int[][] sizes = {{1, 5, 5, 1}, {5, 1, 1, 5}, {7, 7, 224, 224}, {124, 124, 322, 322}, {322, 322, 124, 124},
            {13, 6, 6, 13}, {224, 227, 227, 224}, {3, 3, 3, 3}, {2, 7, 9, 2}, {4, 8, 2, 4}};
        List<Arguments> cases = new ArrayList<>();
        for (ResizeMode mode : ResizeMode.values()) {
            for (int[] s : sizes) {
                cases.add(Arguments.of(mode, s[0], s[1], s[2], s[3]));
            }
        }
        return cases;
    }

    /** (kernel size, sigma, h, w). */
    static List<Arguments> blurCases() {
        return List.of(Arguments.of(5, 3f, 64, 60), Arguments.of(51, 50f, 64, 60), Arguments.of(5, 3f, 224, 224),
                Arguments.of(51, 50f, 224, 224), Arguments.of(3, 0.5f, 2, 7), Arguments.of(7, 2f, 4, 9));
    }

    private static float[] random(int n, long seed, float low, float high) {
        Random rnd = new Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = low + rnd.nextFloat() * (high - low);
        }
        return a;
    }

    private static float[] ramp(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = i + 1;
        }
        return a;
    }

    private static float[] resizeGrad(Shape in, int outH, int outW, ResizeMode mode, float[] g) {
        Tensor grad = D.fromArray(in.with(-2, outH).with(-1, outW), g);
        return D.resizeBackward(grad, in, mode).toArray();
    }

    private static float[] blurGrad(Shape s, int k, float sigma, float[] g) {
        return D.gaussianBlurBackward(D.fromArray(s, g), k, sigma).toArray();
    }

    private static double dot(double[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** Element by element, |actual - expected| <= rtol * |expected| + atol. */
    static void assertClose(String what, double[] expected, float[] actual, double rtol, double atol) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(actual[i] - expected[i]) <= rtol * Math.abs(expected[i]) + atol)) {
                fail(what + ": element " + i + " expected " + expected[i] + " got " + actual[i]);
            }
        }
    }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    // ---- exact values from torch 1.13 autograd (gradient = 1, 2, 3, ... in row-major order) ----

    @Test
    void bilinearMatchesTorch() {
        // x = torch.zeros(1,1,3,5, requires_grad=True); y = F.interpolate(x, size=(4,2), mode='bilinear',
        // align_corners=False); y.backward(torch.arange(1., 9.).view(1,1,4,2)); x.grad
        // (column 2 gets no gradient: the width taps are 0,1 and 3,4)
        float[] expected = {0.53125f, 1.59375f, 0f, 2.625f, 0.875f, 1.25f, 3.75f, 0f, 4.6875f, 1.5625f, 2.21875f,
            6.65625f, 0f, 7.6875f, 2.5625f};
        assertArrayEquals(expected, resizeGrad(Shape.of(1, 1, 3, 5), 4, 2, ResizeMode.BILINEAR, ramp(8)), 1e-6f);
    }

    @Test
    void bicubicMatchesTorch() {
        // as above with (1,1,4,4) -> size=(7,5), mode='bicubic', gradient torch.arange(1., 36.)
        float[] expected = {5.37098265f, 8.15353584f, 10.97751331f, 13.63800526f, 25.23719406f, 28.23686600f,
            31.15288544f, 33.77365112f, 45.98303986f, 49.11590958f, 52.03194046f, 54.51947784f, 63.60129929f,
            66.75772858f, 69.58170319f, 71.86828613f};
        float[] actual = resizeGrad(Shape.of(1, 1, 4, 4), 7, 5, ResizeMode.BICUBIC, ramp(35));
        assertClose("bicubic 4x4 <- 7x5", toDouble(expected), actual, 1e-6, 1e-6);
    }

    @Test
    void bicubicBorderTapsAccumulateLikeTorch() {
        // (1,1,2,3) -> size=(5,4), mode='bicubic': most taps are clamped onto the border pixels
        float[] expected = {12.77028942f, 17.81357956f, 21.98415756f, 47.43478012f, 53.34852219f, 56.64864731f};
        float[] actual = resizeGrad(Shape.of(1, 1, 2, 3), 5, 4, ResizeMode.BICUBIC, ramp(20));
        assertClose("bicubic 2x3 <- 5x4", toDouble(expected), actual, 1e-6, 1e-6);
        // (1,1,1,13) -> size=(1,5): downsampling, negative outer weights
        float[] down = {0.17600042f, 0.91999996f, -0.31200004f, 1.44000030f, 0.91999960f, -0.14399910f, 3.0f,
            -0.28799915f, 1.84000301f, 2.87999725f, -0.91199994f, 4.60000086f, 0.87999940f};
        assertClose("bicubic 1x13 <- 1x5", toDouble(down),
                resizeGrad(Shape.of(1, 1, 1, 13), 1, 5, ResizeMode.BICUBIC, ramp(5)), 1e-5, 1e-6);
    }

    @Test
    void blurMatchesTorch() {
        // x = torch.zeros(1,1,5,6, requires_grad=True); y = torchvision.transforms.functional.gaussian_blur(x,
        // [3,3], [1.,1.]); y.backward(torch.arange(1., 31.).view(1,1,5,6)); x.grad
        float[] expected = {1.91966152f, 3.74591112f, 3.82220578f, 4.54813719f, 6.91847992f, 4.15663290f,
            5.62965679f, 10.54173088f, 9.82220554f, 11.09627533f, 16.10984802f, 9.55572414f, 9.71117687f,
            17.56289291f, 15.0f, 16.0f, 21.93323517f, 12.79269600f, 19.11575317f, 34.21092987f, 28.39985275f,
            29.67392159f, 39.77904129f, 23.04182053f, 12.17963409f, 21.75299835f, 17.95573425f, 18.68166542f,
            24.92556763f, 14.41660500f};
        assertClose("blur k3 5x6", toDouble(expected), blurGrad(Shape.of(1, 1, 5, 6), 3, 1f, ramp(30)), 1e-6, 1e-6);
        // same with (1,1,4,7), kernel [5,5], sigma [3.,3.]: the padding of 2 folds back twice on 4 rows
        float[] wide = {3.14604926f, 6.37305641f, 6.61845446f, 6.41359901f, 8.49458981f, 9.15455055f, 4.69488907f,
            9.72770977f, 19.58857727f, 20.00965881f, 18.79201126f, 24.27196121f, 25.90772247f, 13.24644661f,
            11.37143135f, 22.84368134f, 23.17785645f, 21.48102188f, 27.44016075f, 29.16283035f, 14.89017105f,
            6.14114761f, 12.30432606f, 12.39136887f, 11.31335926f, 14.26750374f, 15.08582115f, 7.68998814f};
        assertClose("blur k5 4x7", toDouble(wide), blurGrad(Shape.of(1, 1, 4, 7), 5, 3f, ramp(28)), 1e-6, 1e-6);
    }

    @Test
    void bilinearByHand() {
        // 1x2 -> 1x4: outputs read x0, (3 x0 + x1) / 4, (x0 + 3 x1) / 4, x1 (the height 1 -> 1 copies)
        float[] grad = resizeGrad(Shape.of(1, 2), 1, 4, ResizeMode.BILINEAR, new float[] {1, 2, 3, 4});
        assertArrayEquals(new float[] {1 + 1.5f + 0.75f, 0.5f + 2.25f + 4}, grad, 0f);
    }

    @Test
    void singlePixelSourceCollectsTheWholeGradient() {
        // every tap of a 1-pixel axis is clamped onto that pixel; weights sum to 1
        float[] g = random(35, 1, -1, 1);
        double sum = 0;
        for (float v : g) {
            sum += v;
        }
        for (ResizeMode mode : ResizeMode.values()) {
            float[] grad = resizeGrad(Shape.of(1, 1), 5, 7, mode, g);
            assertEquals(sum, grad[0], 1e-5, mode.toString());
        }
    }

    // ---- transposes of the double-precision forward ----

    @ParameterizedTest
    @EnumSource(ResizeMode.class)
    void smallResizeMatricesAreTransposed(ResizeMode mode) {
        int[][] sizes = {{1, 5, 5, 1}, {5, 1, 1, 5}, {13, 6, 6, 13}, {2, 7, 9, 2}, {3, 3, 3, 3}, {4, 4, 7, 5}};
        for (int[] s : sizes) {
            double[][] mh = ResamplingReference.resize(mode, s[0], s[2]);
            double[][] mw = ResamplingReference.resize(mode, s[1], s[3]);
            int outputs = s[2] * s[3];
            for (int o = 0; o < outputs; o++) { // gradient e_o gives row o of the forward matrix
                float[] unit = new float[outputs];
                unit[o] = 1;
                double[] expected = ResamplingReference.adjoint(mh, mw, unit, 1);
                float[] actual = resizeGrad(Shape.of(s[0], s[1]), s[2], s[3], mode, unit);
                assertClose(mode + " " + s[0] + "x" + s[1] + " <- " + s[2] + "x" + s[3] + " row " + o, expected,
                        actual, 1e-6, 1e-6); // float polynomial of ATen's weights: a few 1e-7 absolute
            }
        }
    }

    @ParameterizedTest
    @MethodSource("resizeCases")
    void resizeGradientEqualsDenseTranspose(ResizeMode mode, int h, int w, int outH, int outW) {
        int planes = h * w > 10_000 ? 2 : 6;
        Shape in = Shape.of(planes / 2, 2, h, w);
        float[] g = random(planes * outH * outW, h * 31L + outW, -1, 1);
        double[] expected = ResamplingReference.adjoint(ResamplingReference.resize(mode, h, outH),
                ResamplingReference.resize(mode, w, outW), g, planes);
        assertClose(mode + " " + in + " <- " + outH + "x" + outW, expected, resizeGrad(in, outH, outW, mode, g),
                1e-5, 1e-6 * maxAbs(expected));
    }

    @ParameterizedTest
    @MethodSource("resizeCases")
    void resizeAdjointDotProduct(ResizeMode mode, int h, int w, int outH, int outW) {
        Shape in = Shape.of(2, h, w);
        float[] x = random(in.numel(), h + 7L * w, 0, 1); // positive values: no cancellation, rel 1e-5 is strict
        float[] y = random(2 * outH * outW, outH + 3L * outW, 0, 1);
        double[][] mh = ResamplingReference.resize(mode, h, outH);
        double[][] mw = ResamplingReference.resize(mode, w, outW);
        double ax = dot(ResamplingReference.forward(mh, mw, x, 2), y);
        double xaty = dot(toDouble(x), resizeGrad(in, outH, outW, mode, y));
        assertEquals(ax, xaty, 1e-5 * Math.abs(ax), "<A x, y> vs <x, A^T y>");
    }

    @ParameterizedTest
    @MethodSource("blurCases")
    void blurGradientEqualsDenseTranspose(int k, float sigma, int h, int w) {
        Shape s = Shape.of(2, h, w);
        float[] g = random(s.numel(), k * 13L + h, -1, 1);
        double[] expected = ResamplingReference.adjoint(ResamplingReference.blur(h, k, sigma),
                ResamplingReference.blur(w, k, sigma), g, 2);
        assertClose("blur k" + k + " " + s, expected, blurGrad(s, k, sigma, g), 1e-5, 1e-6 * maxAbs(expected));
    }

    @ParameterizedTest
    @MethodSource("blurCases")
    void blurAdjointDotProduct(int k, float sigma, int h, int w) {
        Shape s = Shape.of(1, 2, h, w);
        float[] x = random(s.numel(), h + k, 0, 1);
        float[] y = random(s.numel(), w + k, 0, 1);
        double ax = dot(ResamplingReference.forward(ResamplingReference.blur(h, k, sigma),
                ResamplingReference.blur(w, k, sigma), x, 2), y);
        double xaty = dot(toDouble(x), blurGrad(s, k, sigma, y));
        assertEquals(ax, xaty, 1e-5 * Math.abs(ax), "<B x, y> vs <x, B^T y>");
    }

    /** The adjoint of the backend's own float forward (same tap tables), on every resize case. */
    @ParameterizedTest
    @MethodSource("resizeCases")
    void adjointOfTheForwardOp(ResizeMode mode, int h, int w, int outH, int outW) {
        Shape in = Shape.of(2, 1, h, w);
        float[] x = random(in.numel(), h * 5L + w, 0, 1);
        float[] y = random(2 * outH * outW, outH * 5L + outW, 0, 1);
        float[] ax = D.resize(D.fromArray(in, x), outH, outW, mode).toArray();
        double lhs = dot(toDouble(ax), y);
        double rhs = dot(toDouble(x), resizeGrad(in, outH, outW, mode, y));
        assertEquals(lhs, rhs, 1e-5 * Math.abs(lhs), "<resize(x), y> vs <x, resizeBackward(y)>");
    }

    @ParameterizedTest
    @MethodSource("blurCases")
    void adjointOfTheForwardBlur(int k, float sigma, int h, int w) {
        Shape s = Shape.of(3, h, w);
        float[] x = random(s.numel(), h * 3L + k, 0, 1);
        float[] y = random(s.numel(), w * 3L + k, 0, 1);
        double lhs = dot(toDouble(D.gaussianBlur(D.fromArray(s, x), k, sigma).toArray()), y);
        double rhs = dot(toDouble(x), blurGrad(s, k, sigma, y));
        assertEquals(lhs, rhs, 1e-5 * Math.abs(lhs), "<blur(x), y> vs <x, blurBackward(y)>");
    }

    /** Random awkward sizes: 1-pixel axes, odd factors, up in one axis and down in the other. */
    @Property(tries = 60)
    void randomResizeShapes(@ForAll @IntRange(min = 1, max = 40) int h, @ForAll @IntRange(min = 1, max = 40) int w,
                            @ForAll @IntRange(min = 1, max = 40) int outH,
                            @ForAll @IntRange(min = 1, max = 40) int outW, @ForAll ResizeMode mode) {
        float[] g = random(3 * outH * outW, h * 1000L + w, -1, 1);
        double[] expected = ResamplingReference.adjoint(ResamplingReference.resize(mode, h, outH),
                ResamplingReference.resize(mode, w, outW), g, 3);
        assertClose(mode + " " + h + "x" + w + " <- " + outH + "x" + outW, expected,
                resizeGrad(Shape.of(3, h, w), outH, outW, mode, g), 1e-5, 1e-6 * maxAbs(expected));
    }

    @Test
    void gradientSumIsPreserved() {
        // every output's weights sum to 1 (A 1 = 1), so sum(A^T g) = <1, A^T g> = <A 1, g> = sum(g)
        float[] g = random(3 * 17 * 11, 5, -1, 1);
        double sum = 0;
        for (float v : g) {
            sum += v;
        }
        for (ResizeMode mode : ResizeMode.values()) {
            double total = 0;
            for (float v : resizeGrad(Shape.of(3, 6, 29), 17, 11, mode, g)) {
                total += v;
            }
            assertEquals(sum, total, 1e-5 * g.length, mode.toString());
        }
        double blurred = 0;
        for (float v : blurGrad(Shape.of(3, 17, 11), 9, 2.5f, g)) {
            blurred += v;
        }
        assertEquals(sum, blurred, 1e-5 * g.length, "blur");
    }

    // ---- bad input ----

    @Test
    void wrongGradientShapesAreRejected() {
        Tensor g = D.zeros(Shape.of(2, 3, 8, 8));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> D.resizeBackward(g, Shape.of(2, 4, 5, 5), ResizeMode.BILINEAR));
        assertTrue(e.getMessage().contains("resizeBackward") && e.getMessage().contains("(2,3,8,8)")
                && e.getMessage().contains("(2,4,5,5)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> D.resizeBackward(g, Shape.of(3, 5, 5), ResizeMode.BICUBIC));
        IllegalArgumentException even = assertThrows(IllegalArgumentException.class,
                () -> D.gaussianBlurBackward(g, 4, 1f));
        assertTrue(even.getMessage().startsWith("gaussianBlurBackward"), even.getMessage());
        IllegalArgumentException wide = assertThrows(IllegalArgumentException.class,
                () -> D.gaussianBlurBackward(g, 17, 1f));
        assertTrue(wide.getMessage().contains("(2,3,8,8)"), wide.getMessage());
    }
}
