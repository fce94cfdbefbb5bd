package io.ucag.explain.relative;

import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.ReduceOp;

/**
 * Device helpers shared by the relative relevance rules: the stabilised division (never a NaN or an infinity) and
 * the uniform shift of RAP. All tensors are made in the caller's scope.
 */
public final class Stabilized {
    /**
     * The stabiliser of every denominator: {@code z + EPSILON * sign(z)}, with sign(0) = +1. It changes no float32
     * value of magnitude above ~1e-2 and turns a zero denominator into a finite one; wherever a denominator is zero
     * its numerators' contributions are zero too, so nothing blows up.
     */
    public static final float EPSILON = 1e-9f;

    private static final int[] ITEM_AXES = {1, 2, 3};

    private Stabilized() {
    }

    /** {@code a / (b + EPSILON * sign(b))} with broadcasting; sign(0) counts as +1. */
    public static Tensor divide(Device d, Tensor a, Tensor b) {
        Tensor nonZeroSign = d.sign(b);                                                   // -1, 0, 1
        Tensor zero = d.add(d.scale(d.abs(nonZeroSign), -1f), one(d));                    // 1 where b == 0
        Tensor sign = d.add(nonZeroSign, zero);                                           // -1 or 1
        return d.div(a, d.add(b, d.scale(sign, EPSILON)));
    }

    /** {@code a / (b + EPSILON)} for a denominator known to be >= 0 (cheaper than {@link #divide}). */
    public static Tensor divideNonNegative(Device d, Tensor a, Tensor b) {
        return d.div(a, d.add(b, constant(d, EPSILON)));
    }

    /**
     * RAP's uniform shift (Nam et al., AAAI 2020): subtracts, from every nonzero element of each item of {@code c}
     * (N,C,H,W), the same amount, so that the item's sum becomes {@code target} (N,1,1,1). Zero elements (dead
     * neurons) stay zero.
     */
    public static Tensor shift(Device d, Tensor c, Tensor target) {
        Tensor nonZero = d.abs(d.sign(c));
        Tensor count = d.clamp(d.reduce(nonZero, ReduceOp.SUM, ITEM_AXES, true), 1f, Float.POSITIVE_INFINITY);
        Tensor excess = d.add(d.reduce(c, ReduceOp.SUM, ITEM_AXES, true), d.scale(target, -1f));
        return d.add(c, d.scale(d.mul(d.div(excess, count), nonZero), -1f));
    }

    /** The per-item sum (N,1,1,1) of a 4-D tensor. */
    public static Tensor itemSum(Device d, Tensor x) {
        return d.reduce(x, ReduceOp.SUM, ITEM_AXES, true);
    }

    static Tensor one(Device d) {
        return constant(d, 1f);
    }

    static Tensor constant(Device d, float value) {
        return d.fromArray(Shape.of(1), new float[] {value});
    }
}
