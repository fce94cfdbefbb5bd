package io.ucag.runtime.relevance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/** The transpose as a forward convolution equals conv2dBackwardInput (random odd shapes, Java device). */
class ForwardTransposeTest {
    private static final JavaDevice D = new JavaDevice(1);

    @Property(tries = 40)
    void equalsTheBackwardOp(@ForAll @IntRange(min = 0, max = 100000) int seed) {
        Random rng = new Random(seed);
        boolean pointwise = rng.nextBoolean(); // 1x1, no padding, any stride; else stride 1, any kernel
        int kh = pointwise ? 1 : 1 + 2 * rng.nextInt(3);
        int kw = pointwise ? 1 : 1 + rng.nextInt(4);
        Conv2dParams p = pointwise ? new Conv2dParams(1 + rng.nextInt(3), 1 + rng.nextInt(3), 0, 0, 1, 1)
                : new Conv2dParams(1, 1, rng.nextInt(kh), rng.nextInt(kw), 1, 1);
        Shape input = Shape.of(1 + rng.nextInt(2), 1 + rng.nextInt(4), kh + rng.nextInt(6), kw + rng.nextInt(6));
        Shape weight = Shape.of(1 + rng.nextInt(5), input.dim(1), kh, kw);
        Shape output = Shape.of(input.dim(0), weight.dim(0), p.outH(input.dim(2), kh), p.outW(input.dim(3), kw));
        try (TensorScope scope = TensorScope.open()) {
            Tensor s = D.fromArray(output, gaussians(rng, output.numel()));
            Tensor w = D.fromArray(weight, gaussians(rng, weight.numel()));
            float[] expected = D.conv2dBackwardInput(s, w, input, p).toArray();
            Tensor actual = ForwardTranspose.apply(D, s, w, input, p);
            assertArrayEquals(input.dims(), actual.shape().dims());
            float[] a = actual.toArray();
            for (int i = 0; i < a.length; i++) {
                assertEquals(expected[i], a[i], 1e-5 * (1 + Math.abs(expected[i])), "element " + i);
            }
        }
    }

    @Test
    void onlyStrideOneOrPointwiseUndilatedConvolutions() {
        assertTrue(ForwardTranspose.applies(Conv2dParams.of(2, 0), 1, 1));
        assertFalse(ForwardTranspose.applies(Conv2dParams.of(2, 1), 1, 1));
        assertFalse(ForwardTranspose.applies(Conv2dParams.of(2, 1), 3, 3));
        assertFalse(ForwardTranspose.applies(Conv2dParams.of(1, 2, 2), 3, 3));
        assertFalse(ForwardTranspose.applies(Conv2dParams.of(1, 3), 3, 3)); // padding beyond the kernel
    }

    private static float[] gaussians(Random rng, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        return v;
    }
}
