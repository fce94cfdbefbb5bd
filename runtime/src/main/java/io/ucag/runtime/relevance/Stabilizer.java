package io.ucag.runtime.relevance;

import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import java.util.Arrays;

/**
 * Sign-aware stabilisation of LRP denominators, as zennit's {@code stabilize}: {@code z + eps * sgn(z)} with
 * {@code sgn(0) = +1}, so the denominator moves away from zero and never changes sign. With {@code eps = 0} (LRP-0)
 * an exact zero becomes 1 instead: its numerator is a relevance that the layer above gave a zero output, so the
 * quotient is 0 rather than NaN.
 */
public final class Stabilizer {
    /** zennit's default stabiliser of the rules that have no epsilon of their own. */
    public static final float DEFAULT_EPSILON = 1e-6f;

    private Stabilizer() {
    }

    /** {@code z + eps * sgn(z)} (same shape as z); {@code eps >= 0}. */
    public static Tensor stabilize(Device d, Tensor z, float eps) {
        if (!(eps >= 0) || Float.isInfinite(eps)) {
            throw new IllegalArgumentException("LRP stabiliser epsilon must be finite and >= 0, got " + eps);
        }
        try (TensorScope scope = TensorScope.open()) {
            Tensor sign = d.sign(z);
            Tensor step;
            if (eps > 0) { // sgn(z) with sgn(0) = 1: sign(sign(z) + 0.5) maps -1, 0, 1 to -1, 1, 1
                step = d.scale(d.sign(d.add(sign, d.fromArray(Shape.of(1), new float[] {0.5f}))), eps);
            } else {
                step = oneMinus(d, d.abs(sign)); // 1 where z == 0
            }
            return scope.keep(d.add(z, step));
        }
    }

    /** {@code numerator / stabilize(z, eps)}: finite wherever the numerator is finite and {@code eps > 0}. */
    public static Tensor divide(Device d, Tensor numerator, Tensor z, float eps) {
        try (TensorScope scope = TensorScope.open()) {
            return scope.keep(d.div(numerator, stabilize(d, z, eps)));
        }
    }

    /**
     * {@code numerator / (z + eps)} for a {@code z} known to be {@code >= 0} ({@code nonNegative}) or {@code z - eps} for one
     * known to be {@code <= 0}: the same as {@link #divide} wherever z is non-zero, in one op instead of five. Where z = 0
     * the sign of the step differs from {@link #divide}'s, which changes nothing when z is a sum of terms of z's sign
     * (alpha-beta): they are all zero then, and so is what the quotient multiplies.
     */
    public static Tensor divideSigned(Device d, Tensor numerator, Tensor z, float eps, boolean nonNegative) {
        if (!(eps > 0) || Float.isInfinite(eps)) {
            throw new IllegalArgumentException("LRP stabiliser epsilon must be finite and > 0 here, got " + eps);
        }
        try (TensorScope scope = TensorScope.open()) {
            Tensor step = d.fromArray(Shape.of(1), new float[] {nonNegative ? eps : -eps});
            return scope.keep(d.div(numerator, d.add(z, step)));
        }
    }

    /**
     * The bias (O) of an affine map whose output z is then divided as {@link #divideSigned} divides it, with that
     * method's step added: {@code bias + eps} (or {@code - eps} for {@code nonNegative = false}); {@code bias} may be
     * null. Computing {@code f(x) + (bias + eps)} saves a pass over z; it differs from {@code (f(x) + bias) + eps}
     * only in float rounding. Made in the caller's scope; a bias's is made once and kept with it ({@link
     * Tensor#derived}: a relevance pass asks for it once per layer and patch).
     */
    public static Tensor biasWithStep(Device d, Tensor bias, int outputs, float eps, boolean nonNegative) {
        if (!(eps > 0) || Float.isInfinite(eps)) {
            throw new IllegalArgumentException("LRP stabiliser epsilon must be finite and > 0 here, got " + eps);
        }
        float step = nonNegative ? eps : -eps;
        if (bias == null) {
            return steps(d, outputs, step);
        }
        return bias.derived("plus stabiliser step " + step, () -> {
            try (Tensor steps = steps(d, outputs, step)) {
                return d.add(bias, steps);
            }
        });
    }

    private static Tensor steps(Device d, int outputs, float step) {
        float[] values = new float[outputs];
        Arrays.fill(values, step);
        return d.fromArray(Shape.of(outputs), values);
    }

    /** {@code 1 - x}, elementwise. */
    static Tensor oneMinus(Device d, Tensor x) {
        try (Tensor one = d.fromArray(Shape.of(1), new float[] {1f}); Tensor negated = d.scale(x, -1f)) {
            return d.add(negated, one);
        }
    }
}
