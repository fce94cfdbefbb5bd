package io.ucag.runtime.java;

import io.ucag.runtime.BroadcastPlan;
import io.ucag.runtime.OpShapes;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;

/**
 * Elementwise ops and inference batch norm, with PyTorch's special-value behaviour: relu and clamp keep NaN
 * (and -0.0) as {@code torch.relu} / {@code torch.clamp} do, exp overflows to +inf.
 */
final class JavaElementwise {
    /** Work per element of the cheap unary ops, in multiply-adds (see {@link ParallelLoop#forRange}). */
    private static final long UNARY_COST = 1;
    /** Math.exp costs about this many multiply-adds. */
    private static final long EXP_COST = 16;

    private JavaElementwise() {
    }

    /**
     * Computed as PyTorch's CPU kernel does: {@code x * alpha + shift} (one fused multiply-add) with
     * {@code alpha = gamma / sqrt(var + eps)} and {@code shift = beta - mean * alpha} per channel.
     */
    static Tensor batchNorm(JavaDevice d, Tensor x, Tensor mean, Tensor var, Tensor gamma, Tensor beta, float eps) {
        Shape xs = OpShapes.batchNorm(x, mean, var, gamma, beta, eps);
        int channels = xs.dim(1);
        int inner = xs.size(2, xs.rank()); // elements per (n, c)
        float[] alpha = new float[channels];
        float[] shift = new float[channels];
        float[] m = d.data(mean);
        float[] v = d.data(var);
        float[] g = d.data(gamma);
        float[] b = d.data(beta);
        for (int c = 0; c < channels; c++) {
            alpha[c] = g[c] * (1f / (float) Math.sqrt(v[c] + eps));
            shift[c] = b[c] - m[c] * alpha[c];
        }
        Tensor y = d.allocate(xs);
        float[] in = d.data(x);
        float[] out = d.data(y);
        d.loop().forRange(xs.numel() / inner, inner, (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                int c = plane % channels;
                for (int i = plane * inner, end = i + inner; i < end; i++) {
                    out[i] = Math.fma(in[i], alpha[c], shift[c]);
                }
            }
        });
        return y;
    }

    /** {@code torch.relu}: {@code x < 0 ? 0 : x}, so NaN and -0.0 pass through unchanged. */
    static Tensor relu(JavaDevice d, Tensor x) {
        Tensor y = d.allocate(x.shape());
        float[] in = d.data(x);
        float[] out = d.data(y);
        d.loop().forRange(x.shape().numel(), UNARY_COST, (from, to) -> {
            for (int i = from; i < to; i++) {
                out[i] = in[i] < 0 ? 0 : in[i];
            }
        });
        return y;
    }

    static Tensor add(JavaDevice d, Tensor a, Tensor b) {
        return broadcast(d, BroadcastPlan.of("add", a.shape(), b.shape()), a, b, false);
    }

    static Tensor mul(JavaDevice d, Tensor a, Tensor b) {
        return broadcast(d, BroadcastPlan.of("mul", a.shape(), b.shape()), a, b, true);
    }

    static Tensor scale(JavaDevice d, Tensor x, float factor) {
        Tensor y = d.allocate(x.shape());
        float[] in = d.data(x);
        float[] out = d.data(y);
        d.loop().forRange(x.shape().numel(), UNARY_COST, (from, to) -> {
            for (int i = from; i < to; i++) {
                out[i] = in[i] * factor;
            }
        });
        return y;
    }

    static Tensor exp(JavaDevice d, Tensor x) {
        Tensor y = d.allocate(x.shape());
        float[] in = d.data(x);
        float[] out = d.data(y);
        d.loop().forRange(x.shape().numel(), EXP_COST, (from, to) -> {
            for (int i = from; i < to; i++) {
                out[i] = (float) Math.exp(in[i]);
            }
        });
        return y;
    }

    /** {@code torch.clamp}: {@code x < min ? min : x > max ? max : x}, so NaN stays NaN. */
    static Tensor clamp(JavaDevice d, Tensor x, float min, float max) {
        Tensor y = d.allocate(OpShapes.clamp(x, min, max));
        float[] in = d.data(x);
        float[] out = d.data(y);
        d.loop().forRange(x.shape().numel(), UNARY_COST, (from, to) -> {
            for (int i = from; i < to; i++) {
                float v = in[i];
                out[i] = v < min ? min : v > max ? max : v;
            }
        });
        return y;
    }

    /**
     * a (+ or *) b over the plan's groups: rows of the innermost group are split over threads; each row finds
     * its input offsets once. Inner strides are 1 or 0 (a broadcast value); both ops commute exactly, so the
     * operands are swapped to make b the broadcast one and only two row loops are needed per op.
     */
    private static Tensor broadcast(JavaDevice d, BroadcastPlan plan, Tensor a, Tensor b, boolean multiply) {
        int last = plan.rank() - 1;
        boolean swap = plan.stridesA()[last] == 0 && plan.stridesB()[last] != 0;
        float[] in1 = d.data(swap ? b : a);
        float[] in2 = d.data(swap ? a : b);
        int[] strides1 = swap ? plan.stridesB() : plan.stridesA();
        int[] strides2 = swap ? plan.stridesA() : plan.stridesB();
        boolean scalar2 = strides2[last] == 0;
        int[] dims = plan.dims();
        int inner = dims[last];
        Tensor y = d.allocate(plan.outShape());
        float[] out = d.data(y);
        d.loop().forRange(plan.outShape().numel() / inner, inner, (from, to) -> {
            for (int row = from; row < to; row++) {
                int off1 = 0;
                int off2 = 0;
                int rest = row;
                for (int g = last - 1; g >= 0; g--) {
                    int i = rest % dims[g];
                    rest /= dims[g];
                    off1 += i * strides1[g];
                    off2 += i * strides2[g];
                }
                int o = row * inner;
                if (scalar2) {
                    float v2 = in2[off2];
                    for (int k = 0; k < inner; k++) {
                        out[o + k] = multiply ? in1[off1 + k] * v2 : in1[off1 + k] + v2;
                    }
                } else if (multiply) {
                    for (int k = 0; k < inner; k++) {
                        out[o + k] = in1[off1 + k] * in2[off2 + k];
                    }
                } else {
                    for (int k = 0; k < inner; k++) {
                        out[o + k] = in1[off1 + k] + in2[off2 + k];
                    }
                }
            }
        });
        return y;
    }

    static Tensor div(JavaDevice d, Tensor a, Tensor b) {
        throw new UnsupportedOperationException("div: not implemented yet");
    }

    static Tensor abs(JavaDevice d, Tensor x) {
        throw new UnsupportedOperationException("abs: not implemented yet");
    }

    static Tensor sign(JavaDevice d, Tensor x) {
        throw new UnsupportedOperationException("sign: not implemented yet");
    }
}
