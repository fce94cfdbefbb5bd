package io.ucag.kernels.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ucag.kernels.OpenClTestSupport;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.java.JavaDevice;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** slice.cl against the Java reference on every axis of random shapes (a copy: results must be identical). */
class ClSliceTest {
    private static final JavaDevice JAVA = new JavaDevice(1);

    @AfterAll
    static void closeJava() {
        JAVA.close();
    }

    @Test
    void sliceEqualsJavaOnEveryAxis() {
        ClDevice cl = OpenClTestSupport.device();
        Random rng = new Random(61);
        int[] sizes = {1, 3, 7, 13};
        for (int c = 0; c < 30; c++) {
            int rank = 1 + rng.nextInt(Shape.MAX_RANK);
            int[] dims = new int[rank];
            for (int a = 0; a < rank; a++) {
                dims[a] = sizes[rng.nextInt(rank > 4 ? 2 : 4)];
            }
            Shape xs = Shape.of(dims);
            float[] x = OpenClTestSupport.random(rng, xs);
            for (int axis = 0; axis < rank; axis++) {
                int start = rng.nextInt(dims[axis]);
                int length = 1 + rng.nextInt(dims[axis] - start);
                int signedAxis = rng.nextBoolean() ? axis : axis - rank;
                try (TensorScope scope = TensorScope.open()) {
                    Tensor expected = JAVA.slice(JAVA.fromArray(xs, x), signedAxis, start, length);
                    Tensor actual = cl.slice(cl.fromArray(xs, x), signedAxis, start, length);
                    assertEquals(expected.shape(), actual.shape());
                    assertArrayEquals(expected.toArray(), actual.toArray(), xs + " axis " + axis + " [" + start
                            + ", " + (start + length) + ")");
                }
            }
        }
    }

    @Test
    void rangesOutsideTheAxisAreRejected() {
        ClDevice cl = OpenClTestSupport.device();
        try (TensorScope scope = TensorScope.open()) {
            Tensor x = cl.zeros(Shape.of(2, 3));
            assertThrows(IllegalArgumentException.class, () -> cl.slice(x, 1, 2, 2));
            assertThrows(IllegalArgumentException.class, () -> cl.slice(x, -3, 0, 1));
        }
    }
}
