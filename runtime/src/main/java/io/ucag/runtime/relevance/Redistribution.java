package io.ucag.runtime.relevance;

import io.ucag.runtime.Device;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.ops.Pool2dParams;

/**
 * Relevance through parameter-free layers. Proportional splits follow zennit's {@code Norm} rule (the epsilon rule
 * without parameters): each input keeps the share it contributed to the output. {@code eps} is the stabiliser of the
 * division ({@link Stabilizer#DEFAULT_EPSILON} as zennit; 0 for exact LRP-0).
 */
public final class Redistribution {
    private Redistribution() {
    }

    /**
     * A sum {@code y = a + b} (a residual addition): each term's relevance share {@code term * R / stabilise(y)}
     * (same shape as R), as {@code {a's, b's}}; they add up to R up to the stabiliser.
     */
    public static Tensor[] sumShares(Device d, Tensor a, Tensor b, Tensor total, Tensor relevance, float eps) {
        try (TensorScope scope = TensorScope.open()) {
            Tensor s = Stabilizer.divide(d, relevance, total, eps);
            return new Tensor[] {scope.keep(d.mul(a, s)), scope.keep(d.mul(b, s))};
        }
    }

    /**
     * A sum {@code y = a + b} under alpha1-beta0 (the addition as an affine layer with unit weights): only positive
     * terms share, {@code a+ * R / stabilise(a+ + b+)} and the same for b, as {@code {a's, b's}}; non-negative for
     * non-negative R.
     */
    public static Tensor[] positiveSumShares(Device d, Tensor a, Tensor b, Tensor relevance, float eps) {
        if (eps > 0 && !Float.isInfinite(eps)) { // divideSigned's step: one fused pass for both shares
            return d.positiveShares(a, b, relevance, eps);
        }
        try (TensorScope scope = TensorScope.open()) {
            Tensor aPos = d.relu(a);
            Tensor bPos = d.relu(b);
            Tensor total = d.add(aPos, bPos);
            Tensor s = eps > 0 ? Stabilizer.divideSigned(d, relevance, total, eps, true)
                    : Stabilizer.divide(d, relevance, total, eps);
            return new Tensor[] {scope.keep(d.mul(aPos, s)), scope.keep(d.mul(bPos, s))};
        }
    }

    /** Max pooling, winner takes all: each window's relevance goes to its maximum (the gradient's routing). */
    public static Tensor maxPoolWinnerTakesAll(Device d, Tensor input, Tensor relevance, Pool2dParams params) {
        return d.maxPool2dBackward(relevance, input, params);
    }

    /**
     * Max pooling, proportional: each window's relevance is split among its inputs in proportion to their values,
     * as if the layer were a sum pool ({@code x_i R / sum_window x}); padding contributes zero.
     */
    public static Tensor maxPoolProportional(Device d, Tensor input, Tensor relevance, Pool2dParams params,
                                             float eps) {
        try (TensorScope scope = TensorScope.open()) {
            Tensor mean = d.avgPool2d(input, params, true);
            Tensor s = Stabilizer.divide(d, relevance, mean, eps);
            return scope.keep(d.mul(input, d.avgPool2dBackward(s, input.shape(), params, true)));
        }
    }

    /** Average pooling: {@code x_i * avgPool^T(R / stabilise(avgPool(x)))}. */
    public static Tensor avgPool(Device d, Tensor input, Tensor relevance, Pool2dParams params,
                                 boolean countIncludePad, float eps) {
        try (TensorScope scope = TensorScope.open()) {
            Tensor mean = d.avgPool2d(input, params, countIncludePad);
            Tensor s = Stabilizer.divide(d, relevance, mean, eps);
            return scope.keep(d.mul(input, d.avgPool2dBackward(s, input.shape(), params, countIncludePad)));
        }
    }

    /** Adaptive average pooling: {@code x_i * adaptiveAvgPool^T(R / stabilise(adaptiveAvgPool(x)))}. */
    public static Tensor adaptiveAvgPool(Device d, Tensor input, Tensor relevance, float eps) {
        try (TensorScope scope = TensorScope.open()) {
            int outH = relevance.shape().dim(2);
            int outW = relevance.shape().dim(3);
            Tensor mean = d.adaptiveAvgPool2d(input, outH, outW);
            Tensor s = Stabilizer.divide(d, relevance, mean, eps);
            return scope.keep(d.mul(input, d.adaptiveAvgPool2dBackward(s, input.shape())));
        }
    }
}
