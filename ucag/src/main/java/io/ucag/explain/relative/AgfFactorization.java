package io.ucag.explain.relative;

import io.ucag.runtime.Device;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.ReduceOp;

/**
 * AGF's attribution-guided factorisation of one layer's input for ONE batch item (Gur, Ali and Wolf, AAAI 2021,
 * section "Attribution-guided factorization"; the authors' {@code get_factorization}). Given a tensor v (1,C,H,W)
 * -- the activations x or their gradient -- and the attribution phi (1,1,H,W) (the channel mean of the layer's
 * relevance), each pixel's soft-thresholded channel vector h = sigmoid(10 v / max v) is regressed, by ridge least
 * squares with lambda 1, on two representatives: the mean of h over the pixels where phi is negative and over
 * those where it is positive:
 * <pre>
 *   [w_neg; w_pos] = (R^T R + I)^-1 R^T h,   R = [r_neg r_pos] (C,2)
 *   F = relu(w_pos) - relu(w_neg)           (1,1,H,W): how much a pixel looks like the positively attributed ones
 * </pre>
 * The 2x2 inverse is written out (its determinant is >= 1), so everything stays on the device.
 */
public final class AgfFactorization {
    private static final int[] SPATIAL = {2, 3};
    private static final int[] ALL = {1, 2, 3};

    private AgfFactorization() {
    }

    /** F (1,1,H,W) for {@code v} (1,C,H,W) and the attribution {@code phi} (1,1,H,W). */
    public static Tensor factor(Device d, Tensor v, Tensor phi) {
        Tensor normalized = Stabilized.divide(d, v, d.reduce(v, ReduceOp.MAX, ALL, true));
        Tensor h = sigmoid(d, d.scale(normalized, 10f));                              // (1,C,H,W)
        Tensor sign = d.sign(phi);
        Tensor positive = d.relu(sign);                                               // phi > 0
        Tensor negative = d.relu(d.scale(sign, -1f));                                 // phi < 0
        Tensor rPos = representative(d, h, positive);                                 // (1,C,1,1)
        Tensor rNeg = representative(d, h, negative);
        Tensor one = Stabilized.one(d);
        Tensor a = d.add(d.reduce(d.mul(rNeg, rNeg), ReduceOp.SUM, ALL, true), one);  // (1,1,1,1)
        Tensor b = d.reduce(d.mul(rNeg, rPos), ReduceOp.SUM, ALL, true);
        Tensor c = d.add(d.reduce(d.mul(rPos, rPos), ReduceOp.SUM, ALL, true), one);
        Tensor det = d.add(d.mul(a, c), d.scale(d.mul(b, b), -1f));
        Tensor negH = d.reduce(d.mul(h, rNeg), ReduceOp.SUM, new int[] {1}, true);   // (1,1,H,W): r_neg^T h
        Tensor posH = d.reduce(d.mul(h, rPos), ReduceOp.SUM, new int[] {1}, true);
        Tensor wNeg = d.div(d.add(d.mul(c, negH), d.scale(d.mul(b, posH), -1f)), det);
        Tensor wPos = d.div(d.add(d.mul(a, posH), d.scale(d.mul(b, negH), -1f)), det);
        return d.add(d.relu(wPos), d.scale(d.relu(wNeg), -1f));
    }

    /** The mean of h (1,C,H,W) over the pixels where {@code mask} (1,1,H,W) is 1; zeros where there are none. */
    private static Tensor representative(Device d, Tensor h, Tensor mask) {
        Tensor count = d.reduce(mask, ReduceOp.SUM, ALL, true);
        return Stabilized.divideNonNegative(d, d.reduce(d.mul(h, mask), ReduceOp.SUM, SPATIAL, true), count);
    }

    static Tensor sigmoid(Device d, Tensor x) {
        return d.div(Stabilized.one(d), d.add(d.exp(d.scale(x, -1f)), Stabilized.one(d)));
    }
}
