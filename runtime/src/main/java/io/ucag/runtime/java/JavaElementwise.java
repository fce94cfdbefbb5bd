package io.ucag.runtime.java;

import io.ucag.runtime.BroadcastPlan;
import io.ucag.runtime.OpShapes;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;

/**
 * Elementwise ops and inference batch norm, with PyTorch's special-value behaviour: relu and clamp keep NaN
 * (and -0.0) as {@code torch.relu} / {@code torch.clamp} do, exp overflows to +inf, division is IEEE and sign
 * maps NaN to 0. add, mul and div share one broadcast loop.
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
        return broadcast(d, BinaryOp.ADD, a, b);
    }

    static Tensor mul(JavaDevice d, Tensor a, Tensor b) {
        return broadcast(d, BinaryOp.MUL, a, b);
    }

    /** {@code torch.div} (true division): IEEE, so x/0 is +-inf by the signs of x and 0, and 0/0 is NaN. */
    static Tensor div(JavaDevice d, Tensor a, Tensor b) {
        return broadcast(d, BinaryOp.DIV, a, b);
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

    /** {@code torch.abs}: clears the sign, so abs(-0.0) is 0.0 and NaN stays NaN. */
    static Tensor abs(JavaDevice d, Tensor x) {
        Tensor y = d.allocate(x.shape());
        float[] in = d.data(x);
        float[] out = d.data(y);
        d.loop().forRange(x.shape().numel(), UNARY_COST, (from, to) -> {
            for (int i = from; i < to; i++) {
                out[i] = Math.abs(in[i]);
            }
        });
        return y;
    }

    /**
     * {@code torch.sign} as torch 1.13 computes it, {@code (0 < x) - (x < 0)}: -1, 0 or 1, with 0.0 (never -0.0)
     * for -0.0, and 0.0 for NaN (numpy.sign gives NaN; pytorch/pytorch#41245). Not Math.signum, which keeps -0.0
     * and NaN.
     */
    static Tensor sign(JavaDevice d, Tensor x) {
        Tensor y = d.allocate(x.shape());
        float[] in = d.data(x);
        float[] out = d.data(y);
        d.loop().forRange(x.shape().numel(), UNARY_COST, (from, to) -> {
            for (int i = from; i < to; i++) {
                float v = in[i];
                out[i] = v > 0 ? 1f : v < 0 ? -1f : 0f;
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

    /** The binary ops that share {@link #broadcast}, by the name their errors carry. */
    private enum BinaryOp {
        ADD("add"), MUL("mul"), DIV("div");

        final String opName;

        BinaryOp(String opName) {
            this.opName = opName;
        }

        /** IEEE addition and multiplication commute bit for bit, so their operands may be swapped. */
        boolean commutes() {
            return this != DIV;
        }
    }

    /**
     * a op b with broadcasting, over the plan's groups: rows of the innermost group are split over threads; each
     * row finds its input offsets once. Inner strides are 1 or 0 (a broadcast value). A commuting op swaps its
     * operands to make b the broadcast one; division keeps its order and has a row loop for a broadcast a.
     */
    private static Tensor broadcast(JavaDevice d, BinaryOp op, Tensor a, Tensor b) {
        BroadcastPlan plan = BroadcastPlan.of(op.opName, a.shape(), b.shape());
        int last = plan.rank() - 1;
        boolean swap = op.commutes() && plan.stridesA()[last] == 0 && plan.stridesB()[last] != 0;
        float[] in1 = d.data(swap ? b : a);
        float[] in2 = d.data(swap ? a : b);
        int[] strides1 = swap ? plan.stridesB() : plan.stridesA();
        int[] strides2 = swap ? plan.stridesA() : plan.stridesB();
        boolean scalar1 = strides1[last] == 0;
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
                    broadcastSecond(op, in1, off1, in2[off2], out, o, inner);
                } else if (scalar1) {
                    assert op == BinaryOp.DIV : op; // the commuting ops were swapped
                    float v1 = in1[off1];
                    for (int k = 0; k < inner; k++) {
                        out[o + k] = v1 / in2[off2 + k];
                    }
                } else {
                    elementwise(op, in1, off1, in2, off2, out, o, inner);
                }
            }
        });
        return y;
    }

    /** {@code out[o + k] = in1[off1 + k] op v2} for k < n. */
    private static void broadcastSecond(BinaryOp op, float[] in1, int off1, float v2, float[] out, int o, int n) {
        switch (op) {
            case ADD -> {
                for (int k = 0; k < n; k++) {
                    out[o + k] = in1[off1 + k] + v2;
                }
            }
            case MUL -> {
                for (int k = 0; k < n; k++) {
                    out[o + k] = in1[off1 + k] * v2;
                }
            }
            case DIV -> {
                for (int k = 0; k < n; k++) {
                    out[o + k] = in1[off1 + k] / v2; // not a reciprocal multiply: torch divides
                }
            }
        }
    }

    /** {@code out[o + k] = in1[off1 + k] op in2[off2 + k]} for k < n. */
    private static void elementwise(BinaryOp op, float[] in1, int off1, float[] in2, int off2, float[] out, int o,
                                    int n) {
        switch (op) {
            case ADD -> {
                for (int k = 0; k < n; k++) {
                    out[o + k] = in1[off1 + k] + in2[off2 + k];
                }
            }
            case MUL -> {
                for (int k = 0; k < n; k++) {
                    out[o + k] = in1[off1 + k] * in2[off2 + k];
                }
            }
            case DIV -> {
                for (int k = 0; k < n; k++) {
                    out[o + k] = in1[off1 + k] / in2[off2 + k];
                }
            }
        }
    }
}
