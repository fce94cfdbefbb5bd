package io.ucag.kernels.opencl;

import static io.ucag.kernels.OpenClTestSupport.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ucag.kernels.OpenClTestSupport;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.java.JavaDevice;
import io.ucag.runtime.ops.Pool2dParams;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** OpenCL pooling == the Java reference on awkward shapes and every window parameter. */
class ClPoolingTest {
    /** One thread: no pool to shut down, and the CPU is shared with the OpenCL device. */
    private static final JavaDevice JAVA = new JavaDevice(1);
    private static final int[] AWKWARD = {1, 2, 3, 5, 7, 13, 16, 17};

    /** Random values with exact -1, 0 and 1 sprinkled in, so that ties and zeros occur. */
    private static float[] values(Random rnd, Shape s) {
        float[] v = OpenClTestSupport.random(rnd, s);
        for (int i = 0; i < v.length; i += 1 + rnd.nextInt(5)) {
            v[i] = rnd.nextInt(3) - 1;
        }
        return v;
    }

    @Property(tries = 80)
    void maxAndAvgPoolMatchJava(@ForAll @IntRange(min = 0, max = 7) int hIndex,
            @ForAll @IntRange(min = 0, max = 7) int wIndex, @ForAll @IntRange(min = 1, max = 4) int kh,
            @ForAll @IntRange(min = 1, max = 4) int kw, @ForAll @IntRange(min = 1, max = 4) int sh,
            @ForAll @IntRange(min = 1, max = 4) int sw, @ForAll @IntRange(min = 0, max = 2) int ph,
            @ForAll @IntRange(min = 0, max = 2) int pw, @ForAll boolean ceil, @ForAll long seed) {
        ClDevice cl = OpenClTestSupport.device();
        Random rnd = new Random(seed);
        int h = AWKWARD[hIndex];
        int w = AWKWARD[wIndex];
        Pool2dParams p = new Pool2dParams(kh, kw, sh, sw, Math.min(ph, kh / 2), Math.min(pw, kw / 2), ceil);
        if (p.outH(h) < 1 || p.outW(w) < 1) {
            return; // window larger than the padded image: both backends reject it (tested below)
        }
        Shape s = Shape.of(1 + rnd.nextInt(3), 1 + rnd.nextInt(5), h, w);
        float[] x = values(rnd, s);
        try (TensorScope scope = TensorScope.open()) {
            Tensor xj = JAVA.fromArray(s, x);
            Tensor xc = cl.fromArray(s, x);
            String what = s + " " + p;
            Tensor maxC = cl.maxPool2d(xc, p);
            assertEquals(JAVA.maxPool2d(xj, p).shape(), maxC.shape(), what);
            assertArrayEquals(JAVA.maxPool2d(xj, p).toArray(), maxC.toArray(), "max " + what);
            assertClose("avg incl " + what, JAVA.avgPool2d(xj, p, true).toArray(), cl.avgPool2d(xc, p, true).toArray(),
                    1e-4, 1e-6);
            assertClose("avg excl " + what, JAVA.avgPool2d(xj, p, false).toArray(),
                    cl.avgPool2d(xc, p, false).toArray(), 1e-4, 1e-6);
        }
    }

    @Property(tries = 40)
    void adaptiveAvgPoolMatchesJava(@ForAll @IntRange(min = 0, max = 7) int hIndex,
            @ForAll @IntRange(min = 0, max = 7) int wIndex, @ForAll @IntRange(min = 1, max = 9) int outH,
            @ForAll @IntRange(min = 1, max = 9) int outW, @ForAll long seed) {
        ClDevice cl = OpenClTestSupport.device();
        Random rnd = new Random(seed);
        Shape s = Shape.of(1 + rnd.nextInt(2), 1 + rnd.nextInt(4), AWKWARD[hIndex], AWKWARD[wIndex]);
        float[] x = values(rnd, s);
        try (TensorScope scope = TensorScope.open()) {
            Tensor yc = cl.adaptiveAvgPool2d(cl.fromArray(s, x), outH, outW);
            assertEquals(Shape.of(s.dim(0), s.dim(1), outH, outW), yc.shape());
            assertClose("adaptive " + s + " -> " + outH + "x" + outW,
                    JAVA.adaptiveAvgPool2d(JAVA.fromArray(s, x), outH, outW).toArray(), yc.toArray(), 1e-4, 1e-6);
        }
    }

    @Test
    void resNetStemPoolAndGlobalAverage() {
        ClDevice cl = OpenClTestSupport.device();
        Shape s = Shape.of(2, 64, 28, 28);
        float[] x = values(new Random(7), s);
        Pool2dParams stem = Pool2dParams.of(3, 2, 1);
        try (TensorScope scope = TensorScope.open()) {
            Tensor xj = JAVA.fromArray(s, x);
            Tensor xc = cl.fromArray(s, x);
            assertArrayEquals(JAVA.maxPool2d(xj, stem).toArray(), cl.maxPool2d(xc, stem).toArray());
            assertClose("global average", JAVA.adaptiveAvgPool2d(xj, 1, 1).toArray(),
                    cl.adaptiveAvgPool2d(xc, 1, 1).toArray(), 1e-4, 1e-6);
            Pool2dParams vgg = Pool2dParams.of(2, 2, 0);
            assertArrayEquals(JAVA.maxPool2d(xj, vgg).toArray(), cl.maxPool2d(xc, vgg).toArray());
        }
    }

    /**
     * Rows wide enough for max_pool2d's vector segments (16 columns reduced over the window's rows at once) next to
     * columns in the padding or past the end, and windows too wide for a segment (stride 5: reduced one by one),
     * with NaN and infinities inside the vectors: equal to the Java reference bit for bit.
     */
    @Test
    void maxPoolOfWideRowsMatchesJavaWithNaNInsideVectors() {
        ClDevice cl = OpenClTestSupport.device();
        Shape s = Shape.of(2, 3, 37, 161);
        float[] x = values(new Random(11), s);
        for (int i = 3; i < x.length; i += 997) {
            x[i] = i % 3 == 0 ? Float.NaN : (i % 3 == 1 ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY);
        }
        Pool2dParams[] pools = {Pool2dParams.of(3, 2, 1), Pool2dParams.of(2, 2, 0), Pool2dParams.of(3, 1, 1),
            new Pool2dParams(4, 7, 3, 5, 2, 3, true), new Pool2dParams(1, 3, 1, 3, 0, 0, false)};
        try (TensorScope scope = TensorScope.open()) {
            Tensor xj = JAVA.fromArray(s, x);
            Tensor xc = cl.fromArray(s, x);
            for (Pool2dParams p : pools) {
                assertArrayEquals(JAVA.maxPool2d(xj, p).toArray(), cl.maxPool2d(xc, p).toArray(), p.toString());
            }
        }
    }

    @Test
    void maxPoolPropagatesNaNAndInfinities() {
        ClDevice cl = OpenClTestSupport.device();
        float nan = Float.NaN;
        float inf = Float.POSITIVE_INFINITY;
        Shape s = Shape.of(1, 1, 2, 6);
        float[] x = {1, nan, -inf, -inf, -inf, 2, 5, 6, -inf, -inf, inf, nan};
        try (TensorScope scope = TensorScope.open()) {
            Tensor xc = cl.fromArray(s, x);
            assertArrayEquals(new float[] {nan, -inf, nan}, cl.maxPool2d(xc, Pool2dParams.of(2, 2, 0)).toArray());
            // NaN first in the window, then larger values: still NaN
            Pool2dParams row = new Pool2dParams(1, 3, 1, 3, 0, 0, false);
            assertArrayEquals(new float[] {nan, 2, 6, nan}, cl.maxPool2d(xc, row).toArray());
        }
    }

    @Test
    void badShapesFailLikeJava() {
        ClDevice cl = OpenClTestSupport.device();
        try (TensorScope scope = TensorScope.open()) {
            Tensor rank3 = cl.zeros(Shape.of(3, 4, 4));
            var e = assertThrows(IllegalArgumentException.class, () -> cl.maxPool2d(rank3, Pool2dParams.of(2, 2, 0)));
            var j = assertThrows(IllegalArgumentException.class,
                    () -> JAVA.maxPool2d(JAVA.zeros(Shape.of(3, 4, 4)), Pool2dParams.of(2, 2, 0)));
            assertEquals(j.getMessage(), e.getMessage());
            Tensor small = cl.zeros(Shape.of(1, 1, 2, 2));
            e = assertThrows(IllegalArgumentException.class, () -> cl.avgPool2d(small, Pool2dParams.of(3, 1, 0), true));
            assertEquals("avgPool2d: input (1,1,2,2) is smaller than the window of "
                    + Pool2dParams.of(3, 1, 0), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> cl.adaptiveAvgPool2d(small, 1, 0));
        }
    }
}
