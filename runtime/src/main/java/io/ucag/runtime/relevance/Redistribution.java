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
     * A sum {@code y = a + b} (a residual addition): the relevance share of the term {@code part},
     * {@code part * R / stabilise(y)} (same shape as R). Both terms' shares add up to R up to the stabiliser.
     */
    public static Tensor sumShare(Device d, Tensor part, Tensor total, Tensor relevance, float eps) {
        try (TensorScope scope = TensorScope.open()) {
            return scope.keep(d.mul(part, Stabilizer.divide(d, relevance, total, eps)));
        }
    }

    /**
     * A sum {@code y = a + b} under alpha1-beta0 (the addition as an affine layer with unit weights): only positive
     * terms share, {@code a+ * R / stabilise(a+ + b+)}; non-negative for non-negative R.
     */
    public static Tensor positiveSumShare(Device d, Tensor part, Tensor other, Tensor relevance, float eps) {
        try (TensorScope scope = TensorScope.open()) {
            Tensor partPos = d.relu(part);
            Tensor total = d.add(partPos, d.relu(other));
            Tensor s = eps > 0 ? Stabilizer.divideSigned(d, relevance, total, eps, true)
                    : Stabilizer.divide(d, relevance, total, eps);
            return scope.keep(d.mul(partPos, s));
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
