package io.ucag.kernels.onnx;

import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import java.util.Set;

/**
 * Relu, Exp, Abs, Sign, Add, Mul, Div, Clip, BatchNormalization (inference) and Softmax onto the device ops of
 * those names.
 */
final class PointwiseOps {
    private PointwiseOps() {
    }

    static Tensor relu(NodeContext ctx) {
        ctx.requireOnlyAttributes(Set.of());
        return ctx.device().relu(ctx.tensor(0));
    }

    static Tensor exp(NodeContext ctx) {
        ctx.requireOnlyAttributes(Set.of());
        return ctx.device().exp(ctx.tensor(0));
    }

    static Tensor abs(NodeContext ctx) {
        ctx.requireOnlyAttributes(Set.of());
        return ctx.device().abs(ctx.tensor(0));
    }

    static Tensor sign(NodeContext ctx) {
        ctx.requireOnlyAttributes(Set.of());
        return ctx.device().sign(ctx.tensor(0));
    }

    /** Multidirectional (NumPy) broadcasting, as the device's add (opset >= 7; older axis/broadcast rejected). */
    static Tensor add(NodeContext ctx) {
        ctx.requireOnlyAttributes(Set.of());
        return ctx.device().add(ctx.tensor(0), ctx.tensor(1));
    }

    static Tensor mul(NodeContext ctx) {
        ctx.requireOnlyAttributes(Set.of());
        return ctx.device().mul(ctx.tensor(0), ctx.tensor(1));
    }

    static Tensor div(NodeContext ctx) {
        ctx.requireOnlyAttributes(Set.of());
        return ctx.device().div(ctx.tensor(0), ctx.tensor(1));
    }

    /** Bounds are optional scalar inputs (opset >= 11) or min/max attributes (older); absent means unbounded. */
    static Tensor clip(NodeContext ctx) {
        ctx.requireOnlyAttributes(Set.of("min", "max"));
        float min = ctx.floatAttribute("min", Float.NEGATIVE_INFINITY);
        float max = ctx.floatAttribute("max", Float.POSITIVE_INFINITY);
        if (ctx.has(1)) {
            min = scalar(ctx, 1, "min");
        }
        if (ctx.has(2)) {
            max = scalar(ctx, 2, "max");
        }
        return ctx.device().clamp(ctx.tensor(0), min, max);
    }

    /** Inference only: {@code training_mode=1} (batch statistics, running-stat outputs) is not a device op. */
    static Tensor batchNormalization(NodeContext ctx) {
        ctx.requireOnlyAttributes(Set.of("epsilon", "momentum", "training_mode", "spatial"));
        long training = ctx.intAttribute("training_mode", 0);
        if (training != 0 || ctx.node().outputs().size() > 1) {
            throw new UnsupportedCase("training mode", "BatchNormalization training_mode=" + training + " with "
                    + ctx.node().outputs().size() + " outputs: batchNorm uses running statistics only");
        }
        if (ctx.intAttribute("spatial", 1) != 1) {
            throw new UnsupportedCase("attribute", "spatial=0 (per-element statistics): batchNorm is per channel");
        }
        float eps = ctx.floatAttribute("epsilon", 1e-5f);
        return ctx.device().batchNorm(ctx.tensor(0), ctx.tensor(3), ctx.tensor(4), ctx.tensor(1), ctx.tensor(2), eps);
    }

    /**
     * Opset >= 13: softmax along {@code axis} (default -1), exactly {@code torch.softmax}. Before 13 the input was
     * flattened to 2-D at {@code axis} (default 1) and normalised over the whole second part: a reshape.
     */
    static Tensor softmax(NodeContext ctx) {
        ctx.requireOnlyAttributes(Set.of("axis"));
        Device d = ctx.device();
        Tensor x = ctx.tensor(0);
        if (ctx.opset() >= 13) {
            return d.softmax(x, (int) ctx.intAttribute("axis", -1));
        }
        Shape s = x.shape();
        int axis = s.normalizeAxis((int) ctx.intAttribute("axis", 1));
        Tensor flat = d.reshape(x, Shape.of(s.size(0, axis), s.size(axis, s.rank())));
        return d.reshape(d.softmax(flat, 1), s);
    }

    private static float scalar(NodeContext ctx, int input, String what) {
        float[] v = ctx.floats(input);
        if (v.length != 1) {
            throw new IllegalArgumentException("Clip: " + what + " must be a scalar, got " + v.length + " values");
        }
        return v[0];
    }
}
