package io.ucag.runtime.java;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** {@code narrow}: hand-computed cases, the adjoint identity against zero-embedding, and slices that tile x. */
class JavaSliceTest {
    private static final JavaDevice D = new JavaDevice(2);
    private TensorScope scope;

    @BeforeEach
    void openScope() {
        scope = TensorScope.open();
    }

    @AfterEach
    void closeScope() {
        scope.close();
    }

    @AfterAll
    static void closeDevice() {
        D.close();
    }

    private static Tensor iota(Shape s) {
        float[] v = new float[s.numel()];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        return D.fromArray(s, v);
    }

    @Test
    void narrowsAnyAxis() {
        Tensor x = iota(Shape.of(2, 3, 4)); // torch.arange(24).reshape(2,3,4)
        Tensor first = D.slice(x, 0, 1, 1);
        assertEquals(Shape.of(1, 3, 4), first.shape());
        assertArrayEquals(new float[] {12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23}, first.toArray());
        Tensor middle = D.slice(x, 1, 1, 2);
        assertEquals(Shape.of(2, 2, 4), middle.shape());
        assertArrayEquals(new float[] {4, 5, 6, 7, 8, 9, 10, 11, 16, 17, 18, 19, 20, 21, 22, 23}, middle.toArray());
        Tensor last = D.slice(x, -1, 2, 2);
        assertEquals(Shape.of(2, 3, 2), last.shape());
        assertArrayEquals(new float[] {2, 3, 6, 7, 10, 11, 14, 15, 18, 19, 22, 23}, last.toArray());
    }

    @Test
    void theFullRangeIsACopy() {
        Tensor x = iota(Shape.of(3, 5));
        Tensor y = D.slice(x, 1, 0, 5);
        assertArrayEquals(x.toArray(), y.toArray());
        D.data(y)[0] = 42; // a new tensor, not a view
        assertEquals(0, x.toArray()[0]);
    }

    @Test
    void isTheAdjointOfZeroEmbedding() {
        // <slice(x), y> = <x, embed(y)>, embed putting y at [start, start+length) of the axis and zeros elsewhere
        Random rng = new Random(31);
        for (int c = 0; c < 30; c++) {
            int rank = 1 + rng.nextInt(4);
            int[] dims = new int[rank];
            for (int a = 0; a < rank; a++) {
                dims[a] = 1 + rng.nextInt(6);
            }
            Shape xs = Shape.of(dims);
            int axis = rng.nextInt(rank);
            int start = rng.nextInt(dims[axis]);
            int length = 1 + rng.nextInt(dims[axis] - start);
            float[] x = uniform(rng, xs.numel());
            float[] sx = D.slice(D.fromArray(xs, x), axis - rank, start, length).toArray();
            float[] y = uniform(rng, sx.length);
            double lhs = 0;
            for (int i = 0; i < y.length; i++) {
                lhs += (double) sx[i] * y[i];
            }
            double rhs = dot(x, embed(y, xs, axis, start, length));
            assertEquals(rhs, lhs, 1e-5 * Math.max(1, Math.abs(rhs)), xs + " axis " + axis);
        }
    }

    @Test
    void consecutiveSlicesTileTheTensor() {
        Shape xs = Shape.of(2, 7, 3);
        float[] x = iota(xs).toArray();
        float[] rebuilt = new float[x.length];
        int[] cuts = {0, 1, 4, 7};
        for (int k = 0; k + 1 < cuts.length; k++) {
            float[] part = D.slice(D.fromArray(xs, x), 1, cuts[k], cuts[k + 1] - cuts[k]).toArray();
            float[] placed = embed(part, xs, 1, cuts[k], cuts[k + 1] - cuts[k]);
            for (int i = 0; i < x.length; i++) {
                rebuilt[i] += placed[i];
            }
        }
        assertArrayEquals(x, rebuilt);
    }

    @Test
    void rangesOutsideTheAxisNameTheOpAndTheShape() {
        Tensor x = D.zeros(Shape.of(2, 3));
        assertError("slice:", "(2,3)", () -> D.slice(x, 1, 2, 2));
        assertError("slice:", "(2,3)", () -> D.slice(x, 0, -1, 1));
        assertError("slice:", "(2,3)", () -> D.slice(x, 0, 0, 0));
        assertError("slice:", "axis 2", () -> D.slice(x, 2, 0, 1));
    }

    private static void assertError(String start, String mustContain, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(start) && e.getMessage().contains(mustContain), e.getMessage());
    }

    /** Zeros of shape xs with y written at [start, start+length) of the axis, by coordinates. */
    private static float[] embed(float[] y, Shape xs, int axis, int start, int length) {
        float[] out = new float[xs.numel()];
        int[] dims = xs.dims();
        for (int i = 0; i < out.length; i++) {
            int rest = i;
            int yIndex = 0;
            int yStride = 1;
            boolean inside = true;
            for (int a = dims.length - 1; a >= 0; a--) {
                int coord = rest % dims[a];
                rest /= dims[a];
                if (a == axis) {
                    inside = coord >= start && coord < start + length;
                    coord -= start;
                }
                yIndex += coord * yStride;
                yStride *= a == axis ? length : dims[a];
            }
            out[i] = inside ? y[yIndex] : 0;
        }
        return out;
    }

    private static float[] uniform(Random rng, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = rng.nextFloat() * 2 - 1;
        }
        return v;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }
}
