package io.ucag.runtime.relevance;

import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.Conv2dParams;

/**
 * The linear map {@code f(x; W) + b} of a layer that LRP rules modify: a convolution or a dense layer. Rules only
 * need the forward map and its transpose with respect to the input ({@code c = f^T(s; W)}, the input gradient of
 * {@code <s, f(x; W)>}), both with weights the rule chose.
 */
public sealed interface AffineOp {
    /** {@code f(x; weight) + bias}; {@code bias} may be null (no bias). */
    Tensor apply(Device d, Tensor x, Tensor weight, Tensor bias);

    /** {@code f^T(s; weight)}: the transposed map of {@code s} (output shape) back to {@code inputShape}. */
    Tensor transpose(Device d, Tensor s, Tensor weight, Shape inputShape);

    /** {@code numerator / (f(x; weight) + bias)}: a rule's quotient {@code s = R / z}, fused where the device can. */
    default Tensor quotient(Device d, Tensor numerator, Tensor x, Tensor weight, Tensor bias) {
        try (Tensor z = apply(d, x, weight, bias)) {
            return d.div(numerator, z);
        }
    }

    /** {@code factor * f^T(s; weight)} back to factor's shape: a rule's {@code x * c}, fused where the device can. */
    default Tensor transposeTimes(Device d, Tensor factor, Tensor s, Tensor weight) {
        try (Tensor c = transpose(d, s, weight, factor.shape())) {
            return d.mul(factor, c);
        }
    }

    /** {@code transposeTimes(...) + addend} (factor's shape), fused where the device can. */
    default Tensor transposeTimesPlus(Device d, Tensor factor, Tensor s, Tensor weight, Tensor addend) {
        try (Tensor product = transposeTimes(d, factor, s, weight)) {
            return d.add(product, addend);
        }
    }

    /** {@code F.conv2d}: x (N,C,H,W), weight (O,C,kh,kw), bias (O). */
    record Convolution(Conv2dParams params) implements AffineOp {
        @Override
        public Tensor apply(Device d, Tensor x, Tensor weight, Tensor bias) {
            return d.conv2d(x, weight, bias, params);
        }

        /** The convolution's input gradient (the OpenCL device runs stride-1 and 1x1 ones as forward convs). */
        @Override
        public Tensor transpose(Device d, Tensor s, Tensor weight, Shape inputShape) {
            return d.conv2dBackwardInput(s, weight, inputShape, params);
        }

        @Override
        public Tensor quotient(Device d, Tensor numerator, Tensor x, Tensor weight, Tensor bias) {
            return d.conv2dDivide(numerator, x, weight, bias, params);
        }

        @Override
        public Tensor transposeTimes(Device d, Tensor factor, Tensor s, Tensor weight) {
            return d.conv2dBackwardInputTimes(factor, s, weight, params);
        }

        @Override
        public Tensor transposeTimesPlus(Device d, Tensor factor, Tensor s, Tensor weight, Tensor addend) {
            return d.conv2dBackwardInputTimesPlus(factor, s, weight, params, addend);
        }
    }

    /** {@code F.linear}: x (N,K), weight (M,K), bias (M). */
    record Dense() implements AffineOp {
        @Override
        public Tensor apply(Device d, Tensor x, Tensor weight, Tensor bias) {
            if (bias != null) {
                return d.linear(x, weight, bias);
            }
            return d.matmul(x, weight, false, true);
        }

        @Override
        public Tensor transpose(Device d, Tensor s, Tensor weight, Shape inputShape) {
            return d.matmul(s, weight, false, false); // (N,M) x (M,K)
        }
    }
}
