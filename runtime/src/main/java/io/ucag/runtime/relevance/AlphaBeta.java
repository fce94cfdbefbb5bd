package io.ucag.runtime.relevance;

import io.ucag.runtime.Device;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import java.util.List;

/**
 * The LRP-alpha-beta rule (Bach et al. 2015, eq. 60; Montavon et al. 2019, eq. 6 for alpha1-beta0):
 * {@code R_i = sum_j (alpha * z+_ij / z+_j - beta * z-_ij / z-_j) R_j}, where {@code z+_ij} are the positive
 * contributions {@code x+_i w+_ij} and {@code x-_i w-_ij} (plus the positive bias in the sum {@code z+_j}), and
 * {@code z-_ij} the negative ones {@code x+_i w-_ij}, {@code x-_i w+_ij} (plus the negative bias), as zennit's
 * {@code AlphaBeta}: signed inputs are allowed. {@code alpha - beta = 1} keeps relevance conserved up to the
 * biases; alpha = 1, beta = 0 is the z-plus rule ({@link ZPlus}). Denominators are stabilised with
 * {@link Stabilizer#DEFAULT_EPSILON}.
 */
public final class AlphaBeta implements Rule {
    private final float alpha;
    private final float beta;

    /**
     * @param alpha weight of the positive contributions, {@code >= 1}
     * @param beta  weight of the negative contributions, {@code >= 0}, with {@code alpha - beta = 1}
     */
    public AlphaBeta(float alpha, float beta) {
        if (!(alpha >= 0 && beta >= 0) || Math.abs(alpha - beta - 1) > 1e-6) {
            throw new IllegalArgumentException("alpha-beta rule: need alpha >= 0, beta >= 0 and alpha - beta = 1, got"
                    + " alpha " + alpha + ", beta " + beta);
        }
        this.alpha = alpha;
        this.beta = beta;
    }

    public float alpha() {
        return alpha;
    }

    public float beta() {
        return beta;
    }

    @Override
    public String name() {
        return "alpha-beta(" + alpha + "," + beta + ")";
    }

    @Override
    public Tensor relevance(Device d, AffineLayer layer, Tensor input, Tensor relevance) {
        return relevance(d, layer, input, relevance, null);
    }

    /** With alpha1-beta0 the addend rides in the transposed convolution's store (one pass fewer). */
    @Override
    public Tensor relevancePlus(Device d, AffineLayer layer, Tensor input, Tensor relevance, Tensor addend) {
        return relevance(d, layer, input, relevance, addend);
    }

    /** The input relevance, plus {@code addend} unless it is null. */
    private Tensor relevance(Device d, AffineLayer layer, Tensor input, Tensor relevance, Tensor addend) {
        try (TensorScope scope = TensorScope.open()) {
            boolean nonNegative = layer.nonNegativeInput(); // then x+ = x and the x- terms vanish
            Tensor inputPos = nonNegative ? input : Parts.positive(d, input);
            Tensor inputNeg = nonNegative ? null : Parts.negative(d, input);
            Tensor weightPos = Parts.positiveParameter(d, layer.weight());
            Tensor weightNeg = inputNeg != null || beta != 0 ? Parts.negativeParameter(d, layer.weight()) : null;
            boolean plain = alpha == 1 && beta == 0; // the positive share is the result
            Tensor result = share(d, layer, inputPos, inputNeg, weightPos, weightNeg,
                    Parts.positiveParameter(d, layer.bias()),
                    relevance, Sign.POSITIVE, plain ? addend : null);
            if (alpha != 1) {
                result = d.scale(result, alpha);
            }
            if (beta != 0) {
                Tensor negativeShare = share(d, layer, inputPos, inputNeg, weightNeg, weightPos,
                        Parts.negativeParameter(d, layer.bias()), relevance, Sign.NEGATIVE);
                result = d.add(result, d.scale(negativeShare, -beta));
            }
            if (!plain && addend != null) {
                result = d.add(result, addend);
            }
            return scope.keep(result);
        }
    }

    /** What is known of the sign of a share's denominator. */
    enum Sign { POSITIVE, NEGATIVE, ANY }

    /**
     * The relevance of the contributions {@code x+ * first + x- * second} (their sum with {@code bias} is the
     * denominator z, of sign {@code sign}): {@code x+ * f^T(s; first) + x- * f^T(s; second)} with
     * {@code s = R / stabilise(z)}.
     */
    static Tensor share(Device d, AffineLayer layer, Tensor inputPos, Tensor inputNeg, Tensor first, Tensor second,
                        Tensor bias, Tensor relevance, Sign sign) {
        return share(d, layer, inputPos, inputNeg, first, second, bias, relevance, sign, null);
    }

    /** {@link #share} plus {@code addend} unless it is null, in the transposed map's store where it can. */
    private static Tensor share(Device d, AffineLayer layer, Tensor inputPos, Tensor inputNeg, Tensor first,
                                Tensor second, Tensor bias, Tensor relevance, Sign sign, Tensor addend) {
        AffineOp op = layer.op();
        float eps = Stabilizer.DEFAULT_EPSILON;
        // a known sign: the stabiliser's step rides in the bias (Stabilizer.biasWithStep), one pass over z fewer
        Tensor stabilizedBias = sign == Sign.ANY ? bias
                : Stabilizer.biasWithStep(d, bias, first.shape().dim(0), eps, sign == Sign.POSITIVE);
        Tensor s;
        if (inputNeg == null && sign != Sign.ANY) { // s = R / z in the map's store where the device can
            s = op.quotient(d, relevance, inputPos, first, stabilizedBias);
        } else if (op instanceof AffineOp.Convolution && sign != Sign.ANY) {
            // x+ * first + x- * second as one convolution of the channels [x+, x-] with [first, second] and its
            // quotient fused: a signed input layer's z in one pass (ResNet-50's stem at 322 px, batch 3: two
            // convolutions, an add and a divide, 27 ms per pass, -> a concat and one conv2dDivide, 23 ms)
            Tensor stackedWeight = first.derived("stacked over channels with its other-sign part",
                    () -> d.concat(List.of(first, second), 1));
            try (Tensor stacked = d.concat(List.of(inputPos, inputNeg), 1)) {
                s = op.quotient(d, relevance, stacked, stackedWeight, stabilizedBias);
            }
        } else {
            Tensor z = op.apply(d, inputPos, first, stabilizedBias);
            if (inputNeg != null) {
                z = d.add(z, op.apply(d, inputNeg, second, null));
            }
            s = sign == Sign.ANY ? Stabilizer.divide(d, relevance, z, eps) : d.div(relevance, z);
        }
        if (inputNeg == null) {
            return addend == null ? op.transposeTimes(d, inputPos, s, first)
                    : op.transposeTimesPlus(d, inputPos, s, first, addend);
        }
        Tensor r = d.add(op.transposeTimes(d, inputPos, s, first), op.transposeTimes(d, inputNeg, s, second));
        return addend == null ? r : d.add(r, addend);
    }
}
