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
import io.ucag.kernels.opencl.ClReductions.Strategy;
import io.ucag.runtime.ops.ReduceOp;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** OpenCL softmax and reductions against the Java backend. */
class ClReductionsTest {
    private static final JavaDevice JAVA = new JavaDevice(2);

    @AfterAll
    static void closeJava() {
        JAVA.close();
    }

    /** Compares all three ops with every kernel strategy; sums get an atol that grows with the element count. */
    private static void compareReduce(ClDevice d, Shape s, int[] axes, float[] x) {
        try (TensorScope scope = TensorScope.open()) {
            Tensor xj = JAVA.fromArray(s, x);
            Tensor xc = d.fromArray(s, x);
            for (ReduceOp op : ReduceOp.values()) {
                for (Strategy strategy : Strategy.values()) {
                    boolean keep = strategy == Strategy.AUTO; // keepDims only changes the shape
                    Tensor yj = JAVA.reduce(xj, op, axes, keep);
                    Tensor yc = ClReductions.reduce(d, xc, op, axes, keep, strategy);
                    String what = op + " over " + Arrays.toString(axes) + " of " + s + " keepDims " + keep + " "
                            + strategy;
                    assertEquals(yj.shape(), yc.shape(), what);
                    double count = (double) s.numel() / yj.shape().numel();
                    double atol = op == ReduceOp.SUM ? 1e-5 * Math.sqrt(count) : op == ReduceOp.MEAN
                            ? 1e-5 / Math.sqrt(count) : 0;
                    assertClose(what, yj.toArray(), yc.toArray(), 1e-4, atol);
                }
            }
        }
    }

    @Test
    void everySubsetOfAxesOfRank4() {
        ClDevice d = OpenClTestSupport.device();
        Random rng = new Random(11);
        for (Shape s : new Shape[] {Shape.of(3, 7, 13, 5), Shape.of(2, 1, 65, 3), Shape.of(1, 13, 1, 130)}) {
            float[] x = OpenClTestSupport.random(rng, s);
            for (int mask = 1; mask < 16; mask++) {
                int[] axes = new int[Integer.bitCount(mask)];
                for (int a = 0, k = 0; a < 4; a++) {
                    if ((mask & (1 << a)) != 0) {
                        axes[k++] = (a % 2 == 0) ? a : a - 4; // mix positive and negative axes
                    }
                }
                compareReduce(d, s, axes, x);
            }
        }
    }

    @Test
    void rank6WithAlternatingAxesUsesThreeGroupsOfEach() {
        ClDevice d = OpenClTestSupport.device();
        Shape s = Shape.of(3, 2, 5, 7, 2, 3);
        float[] x = OpenClTestSupport.random(new Random(12), s);
        compareReduce(d, s, new int[] {0, 2, 4}, x);
        compareReduce(d, s, new int[] {1, 3, 5}, x);
        compareReduce(d, s, new int[] {0, 1, 2, 3, 4, 5}, x);
    }

    @Test
    void largeReductionsUseGroupsAndTwoStages() {
        ClDevice d = OpenClTestSupport.device();
        Random rng = new Random(13);
        Shape matrix = Shape.of(300, 1001);
        float[] m = OpenClTestSupport.random(rng, matrix);
        compareReduce(d, matrix, new int[] {1}, m);  // many long rows: one group each
        compareReduce(d, matrix, new int[] {0}, m);  // strided columns
        Shape big = Shape.of(1 << 20);
        float[] x = OpenClTestSupport.random(rng, big);
        for (int i = 0; i < x.length; i++) {
            x[i] += 0.25f; // a sum far from 0, so the relative tolerance bites
        }
        compareReduce(d, big, new int[] {0}, x); // few outputs, long reduction: split in two stages
        Shape batch = Shape.of(3, 1 << 18);
        compareReduce(d, batch, new int[] {1}, Arrays.copyOf(x, batch.numel()));
    }

    @Test
    void fullSumOfAMillionIsFast() {
        ClDevice d = OpenClTestSupport.device();
        float[] ones = new float[1 << 20];
        Arrays.fill(ones, 1f);
        try (Tensor x = d.fromArray(Shape.of(1 << 20), ones)) {
            d.reduce(x, ReduceOp.SUM, new int[] {0}, false).close(); // warm-up: build the program
            long start = System.nanoTime();
            float sum;
            try (Tensor y = d.reduce(x, ReduceOp.SUM, new int[] {0}, false)) {
                sum = y.toArray()[0];
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(1 << 20, sum, 0f);
            assertTrue(millis < 500, "a full sum of 2^20 floats took " + millis + " ms");
        }
    }

    @Test
    void maxPropagatesNaN() {
        ClDevice d = OpenClTestSupport.device();
        float[] x = new float[2 * 500];
        Arrays.fill(x, -3f);
        x[17] = Float.NaN;   // row 0
        x[700] = -1f;        // row 1: its max
        for (Strategy strategy : Strategy.values()) {
            try (Tensor xc = d.fromArray(Shape.of(2, 500), x);
                 Tensor y = ClReductions.reduce(d, xc, ReduceOp.MAX, new int[] {1}, false, strategy)) {
                float[] v = y.toArray();
                assertTrue(Float.isNaN(v[0]), strategy + ": NaN expected, got " + v[0]);
                assertEquals(-1f, v[1], strategy.name());
            }
        }
        // reduce_columns: a NaN in one channel of one column, -inf elsewhere in another (2, 5, 37) over axis 1
        float[] columns = new float[2 * 5 * 37];
        Arrays.fill(columns, Float.NEGATIVE_INFINITY);
        columns[37 * 3 + 20] = Float.NaN;        // image 0, channel 3, column 20
        columns[5 * 37 + 37 * 4 + 36] = 2f;      // image 1, channel 4, the last column (the moved-back vector)
        try (Tensor xc = d.fromArray(Shape.of(2, 5, 37), columns);
             Tensor y = ClReductions.reduce(d, xc, ReduceOp.MAX, new int[] {1}, false, Strategy.ONE_ITEM_PER_OUTPUT)) {
            float[] v = y.toArray();
            for (int i = 0; i < v.length; i++) {
                float expected = i == 20 ? Float.NaN : i == 37 + 36 ? 2f : Float.NEGATIVE_INFINITY;
                assertEquals(expected, v[i], "column " + i);
            }
        }
        x = new float[] {1, Float.NaN, 3, 2, 5, 4};
        try (Tensor xc = d.fromArray(Shape.of(2, 3), x); Tensor y = d.reduce(xc, ReduceOp.MAX, new int[] {-1}, true)) {
            float[] v = y.toArray();
            assertTrue(Float.isNaN(v[0]), "NaN expected, got " + v[0]);
            assertEquals(5f, v[1]);
        }
    }

    @Test
    void softmaxMatchesJavaOnEveryAxis() {
        ClDevice d = OpenClTestSupport.device();
        Random rng = new Random(14);
        Shape[] shapes = {Shape.of(2, 1000), Shape.of(3, 7, 13), Shape.of(1, 3, 5, 200), Shape.of(3, 100, 7),
            Shape.of(1), Shape.of(65)};
        for (Shape s : shapes) {
            float[] x = OpenClTestSupport.random(rng, s);
            for (int i = 0; i < x.length; i++) {
                x[i] *= 20; // spread the logits so max subtraction matters
            }
            for (int axis = 0; axis < s.rank(); axis++) {
                try (TensorScope scope = TensorScope.open()) {
                    float[] yj = JAVA.softmax(JAVA.fromArray(s, x), axis).toArray();
                    Tensor xc = d.fromArray(s, x);
                    for (Strategy strategy : Strategy.values()) {
                        float[] yc = ClReductions.softmax(d, xc, axis, strategy).toArray();
                        assertClose("softmax axis " + axis + " of " + s + " " + strategy, yj, yc, 1e-4, 1e-7);
                    }
                }
            }
        }
    }

    @Test
    void softmaxHandlesInfinities() {
        ClDevice d = OpenClTestSupport.device();
        float[] x = new float[200];
        Arrays.fill(x, Float.NEGATIVE_INFINITY);
        x[3] = 1f;
        x[150] = 1f;
        for (Strategy strategy : Strategy.values()) {
            try (Tensor xc = d.fromArray(Shape.of(2, 100), x); Tensor y = ClReductions.softmax(d, xc, 1, strategy)) {
                float[] v = y.toArray();
                assertEquals(1f, v[3], strategy.name());
                assertEquals(0f, v[4], strategy.name());
                assertEquals(1f, v[150], strategy.name());
            }
        }
    }

    @Test
    void badAxesNameTheOpAndShape() {
        ClDevice d = OpenClTestSupport.device();
        try (Tensor x = d.fromArray(Shape.of(2, 3), new float[6])) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> d.reduce(x, ReduceOp.SUM, new int[] {0, -2}, false));
            assertTrue(e.getMessage().startsWith("reduce:"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> d.softmax(x, 2));
            assertTrue(e.getMessage().startsWith("softmax:") && e.getMessage().contains("(2,3)"), e.getMessage());
        }
    }
}
