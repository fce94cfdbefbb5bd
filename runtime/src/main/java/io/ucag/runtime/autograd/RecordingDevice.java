package io.ucag.runtime.autograd;

import static io.ucag.runtime.autograd.Tape.save;

import io.ucag.runtime.Device;
import io.ucag.runtime.OpShapes;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.Conv2dParams;
import io.ucag.runtime.ops.Pool2dParams;
import io.ucag.runtime.ops.ReduceOp;
import io.ucag.runtime.ops.ResizeMode;
import java.util.ArrayList;
import java.util.List;

/**
 * The derivative table of reverse-mode autograd: a {@link Device} that runs each op on a base device and, when an
 * input requires a gradient, records on its {@link Tape} which gradient each input gets. Model code written
 * against {@link Device} is differentiated by passing it one of these ({@code tape.on(device)}).
 *
 * <p>Gradients flow to every tensor argument except batch-norm running statistics (treated as constants, as in
 * inference). The backward ops themselves are not differentiated (no second order).
 *
 * <p>Not thread-safe, like its {@link Tape}: one recording device and tape per thread and per backward pass (the
 * base device underneath may be shared).
 */
public final class RecordingDevice implements Device {
    private final Device base;
    private final Tape tape;

    RecordingDevice(Device base, Tape tape) {
        this.base = base;
        this.tape = tape;
    }

    public Tape tape() {
        return tape;
    }

    public Device base() {
        return base;
    }

    private boolean needs(Tensor t) {
        return tape.requiresGrad(t);
    }

    // ---- differentiated ops ----------------------------------------------------------------------

    @Override
    public Tensor conv2d(Tensor x, Tensor weight, Tensor bias, Conv2dParams params) {
        Tensor y = base.conv2d(x, weight, bias, params);
        if (tape.isRecording(x, weight, bias)) {
            List<Tensor> saved = new ArrayList<>();
            Tensor sx = needs(weight) ? save(saved, x) : null;
            Tensor sw = needs(x) ? save(saved, weight) : null;
            Shape xs = x.shape();
            int kh = weight.shape().dim(2);
            int kw = weight.shape().dim(3);
            tape.record(y, new Tensor[] {x, weight, bias}, saved, g -> new Tensor[] {
                sw != null ? base.conv2dBackwardInput(g, sw, xs, params) : null,
                sx != null ? base.conv2dBackwardWeight(g, sx, kh, kw, params) : null,
                needs(bias) ? base.reduce(g, ReduceOp.SUM, new int[] {0, 2, 3}, false) : null});
        }
        return y;
    }

    /** Fused on the base device where nothing needs a gradient; otherwise as its three recorded ops. */
    @Override
    public Tensor conv2dFused(Tensor x, Tensor weight, Tensor bias, Conv2dParams params, Tensor residual,
                              boolean relu) {
        return tape.isRecording(x, weight, bias, residual) ? Device.super.conv2dFused(x, weight, bias, params,
                residual, relu) : base.conv2dFused(x, weight, bias, params, residual, relu);
    }

    @Override
    public Tensor[] conv2dAddRelu(Tensor x, Tensor weight, Tensor bias, Conv2dParams params, Tensor residual) {
        return tape.isRecording(x, weight, bias, residual) ? Device.super.conv2dAddRelu(x, weight, bias, params,
                residual) : base.conv2dAddRelu(x, weight, bias, params, residual);
    }

    @Override
    public Tensor conv2dDivide(Tensor numerator, Tensor x, Tensor weight, Tensor bias, Conv2dParams params) {
        return tape.isRecording(numerator, x, weight, bias) ? Device.super.conv2dDivide(numerator, x, weight, bias,
                params) : base.conv2dDivide(numerator, x, weight, bias, params);
    }

    @Override
    public Tensor positiveShare(Tensor mine, Tensor other, Tensor relevance, float step) {
        return tape.isRecording(mine, other, relevance) ? Device.super.positiveShare(mine, other, relevance, step)
                : base.positiveShare(mine, other, relevance, step);
    }

    @Override
    public Tensor[] positiveShares(Tensor a, Tensor b, Tensor relevance, float step) {
        return tape.isRecording(a, b, relevance) ? Device.super.positiveShares(a, b, relevance, step)
                : base.positiveShares(a, b, relevance, step);
    }

    @Override
    public Tensor addRelu(Tensor a, Tensor b) {
        return tape.isRecording(a, b) ? Device.super.addRelu(a, b) : base.addRelu(a, b);
    }

    @Override
    public Tensor conv2dBackwardInputTimes(Tensor factor, Tensor gradOut, Tensor weight, Conv2dParams params) {
        return tape.isRecording(factor, gradOut, weight) ? Device.super.conv2dBackwardInputTimes(factor, gradOut,
                weight, params) : base.conv2dBackwardInputTimes(factor, gradOut, weight, params);
    }

    @Override
    public Tensor conv2dBackwardInputTimesPlus(Tensor factor, Tensor gradOut, Tensor weight, Conv2dParams params,
                                               Tensor addend) {
        return tape.isRecording(factor, gradOut, weight, addend) ? Device.super.conv2dBackwardInputTimesPlus(factor,
                gradOut, weight, params, addend) : base.conv2dBackwardInputTimesPlus(factor, gradOut, weight, params,
                addend);
    }

    @Override
    public Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        Tensor y = base.linear(x, weight, bias);
        if (tape.isRecording(x, weight, bias)) {
            List<Tensor> saved = new ArrayList<>();
            Tensor sx = needs(weight) ? save(saved, x) : null;
            Tensor sw = needs(x) ? save(saved, weight) : null;
            tape.record(y, new Tensor[] {x, weight, bias}, saved, g -> new Tensor[] {
                sw != null ? base.matmul(g, sw, false, false) : null,   // (N,M)(M,K)
                sx != null ? base.matmul(g, sx, true, false) : null,    // (M,N)(N,K)
                needs(bias) ? base.reduce(g, ReduceOp.SUM, new int[] {0}, false) : null});
        }
        return y;
    }

    @Override
    public Tensor matmul(Tensor a, Tensor b, boolean transposeA, boolean transposeB) {
        Tensor y = base.matmul(a, b, transposeA, transposeB);
        if (tape.isRecording(a, b)) {
            List<Tensor> saved = new ArrayList<>();
            Tensor sa = needs(b) ? save(saved, a) : null;
            Tensor sb = needs(a) ? save(saved, b) : null;
            // y = op(a) op(b): d op(a) = g op(b)^T and d op(b) = op(a)^T g, transposed back where op transposed.
            tape.record(y, new Tensor[] {a, b}, saved, g -> new Tensor[] {
                sb == null ? null : transposeA ? base.matmul(sb, g, transposeB, true)
                        : base.matmul(g, sb, false, !transposeB),
                sa == null ? null : transposeB ? base.matmul(g, sa, true, transposeA)
                        : base.matmul(sa, g, !transposeA, false)});
        }
        return y;
    }

    @Override
    public Tensor maxPool2d(Tensor x, Pool2dParams params) {
        Tensor y = base.maxPool2d(x, params);
        if (tape.isRecording(x)) {
            List<Tensor> saved = new ArrayList<>();
            Tensor sx = save(saved, x);
            tape.record(y, new Tensor[] {x}, saved, g -> new Tensor[] {base.maxPool2dBackward(g, sx, params)});
        }
        return y;
    }

    @Override
    public Tensor avgPool2d(Tensor x, Pool2dParams params, boolean countIncludePad) {
        Tensor y = base.avgPool2d(x, params, countIncludePad);
        if (tape.isRecording(x)) {
            Shape xs = x.shape();
            tape.record(y, new Tensor[] {x}, List.of(),
                    g -> new Tensor[] {base.avgPool2dBackward(g, xs, params, countIncludePad)});
        }
        return y;
    }

    @Override
    public Tensor adaptiveAvgPool2d(Tensor x, int outH, int outW) {
        Tensor y = base.adaptiveAvgPool2d(x, outH, outW);
        if (tape.isRecording(x)) {
            Shape xs = x.shape();
            tape.record(y, new Tensor[] {x}, List.of(), g -> new Tensor[] {base.adaptiveAvgPool2dBackward(g, xs)});
        }
        return y;
    }

    @Override
    public Tensor batchNorm(Tensor x, Tensor mean, Tensor var, Tensor gamma, Tensor beta, float eps) {
        Tensor y = base.batchNorm(x, mean, var, gamma, beta, eps);
        if (tape.isRecording(x, gamma, beta)) {
            List<Tensor> saved = new ArrayList<>();
            Tensor sx = needs(gamma) ? save(saved, x) : null;
            Tensor smean = needs(gamma) ? save(saved, mean) : null;
            Tensor svar = save(saved, var);
            Tensor sgamma = save(saved, gamma);
            int[] notChannel = allAxesBut(x.shape().rank(), 1);
            tape.record(y, new Tensor[] {x, mean, var, gamma, beta}, saved, g -> {
                Shape c = svar.shape();
                Tensor gradX = null;
                if (needs(x)) { // y is affine in x: dy/dx = gamma / sqrt(var + eps) per channel
                    try (Tensor zeros = base.zeros(c)) {
                        gradX = base.batchNorm(g, zeros, svar, sgamma, zeros, eps);
                    }
                }
                Tensor gradGamma = null;
                if (sx != null) { // dy/dgamma = (x - mean) / sqrt(var + eps)
                    try (Tensor zeros = base.zeros(c); Tensor ones = ones(c);
                         Tensor normalized = base.batchNorm(sx, smean, svar, ones, zeros, eps);
                         Tensor product = base.mul(g, normalized)) {
                        gradGamma = base.reduce(product, ReduceOp.SUM, notChannel, false);
                    }
                }
                Tensor gradBeta = needs(beta) ? base.reduce(g, ReduceOp.SUM, notChannel, false) : null;
                return new Tensor[] {gradX, null, null, gradGamma, gradBeta};
            });
        }
        return y;
    }

    @Override
    public Tensor relu(Tensor x) {
        Tensor y = base.relu(x);
        if (tape.isRecording(x)) {
            List<Tensor> saved = new ArrayList<>();
            Tensor sy = save(saved, y);
            tape.record(y, new Tensor[] {x}, saved, g -> new Tensor[] {base.reluBackward(g, sy)});
        }
        return y;
    }

    @Override
    public Tensor add(Tensor a, Tensor b) {
        Tensor y = base.add(a, b);
        if (tape.isRecording(a, b)) {
            Shape as = a.shape();
            Shape bs = b.shape();
            tape.record(y, new Tensor[] {a, b}, List.of(), g -> new Tensor[] {
                needs(a) ? sumToShape(g, as) : null,
                needs(b) ? sumToShape(g, bs) : null});
        }
        return y;
    }

    @Override
    public Tensor mul(Tensor a, Tensor b) {
        Tensor y = base.mul(a, b);
        if (tape.isRecording(a, b)) {
            List<Tensor> saved = new ArrayList<>();
            Tensor sa = needs(b) ? save(saved, a) : null;
            Tensor sb = needs(a) ? save(saved, b) : null;
            Shape as = a.shape();
            Shape bs = b.shape();
            tape.record(y, new Tensor[] {a, b}, saved, g -> new Tensor[] {
                sb != null ? productGradient(g, sb, as) : null,
                sa != null ? productGradient(g, sa, bs) : null});
        }
        return y;
    }

    @Override
    public Tensor scale(Tensor x, float factor) {
        Tensor y = base.scale(x, factor);
        if (tape.isRecording(x)) {
            tape.record(y, new Tensor[] {x}, List.of(), g -> new Tensor[] {base.scale(g, factor)});
        }
        return y;
    }

    @Override
    public Tensor div(Tensor a, Tensor b) {
        Tensor y = base.div(a, b);
        if (tape.isRecording(a, b)) {
            List<Tensor> saved = new ArrayList<>();
            Tensor sb = save(saved, b);
            Tensor sy = needs(b) ? save(saved, y) : null;
            Shape as = a.shape();
            Shape bs = b.shape();
            tape.record(y, new Tensor[] {a, b}, saved, g -> { // d(a/b) = g/b for a, -g*(a/b)/b for b
                Tensor gradA = null;
                Tensor gradB = null;
                try (Tensor gOverB = base.div(g, sb)) {
                    if (needs(a)) {
                        gradA = sumToShape(gOverB, as);
                    }
                    if (sy != null) {
                        try (Tensor product = base.mul(gOverB, sy); Tensor negated = base.scale(product, -1f)) {
                            gradB = sumToShape(negated, bs);
                        }
                    }
                }
                return new Tensor[] {gradA, gradB};
            });
        }
        return y;
    }

    @Override
    public Tensor abs(Tensor x) {
        Tensor y = base.abs(x);
        if (tape.isRecording(x)) { // d|x| = sign(x) (0 at 0, as torch)
            List<Tensor> saved = new ArrayList<>();
            Tensor sx = save(saved, x);
            tape.record(y, new Tensor[] {x}, saved, g -> {
                try (Tensor s = base.sign(sx)) {
                    return new Tensor[] {base.mul(g, s)};
                }
            });
        }
        return y;
    }

    @Override
    public Tensor sign(Tensor x) {
        Tensor y = base.sign(x);
        if (tape.isRecording(x)) { // piecewise constant: zero gradient, as torch
            Shape xs = x.shape();
            tape.record(y, new Tensor[] {x}, List.of(), g -> new Tensor[] {base.zeros(xs)});
        }
        return y;
    }

    @Override
    public Tensor exp(Tensor x) {
        Tensor y = base.exp(x);
        if (tape.isRecording(x)) {
            List<Tensor> saved = new ArrayList<>();
            Tensor sy = save(saved, y);
            tape.record(y, new Tensor[] {x}, saved, g -> new Tensor[] {base.mul(g, sy)});
        }
        return y;
    }

    @Override
    public Tensor clamp(Tensor x, float min, float max) {
        Tensor y = base.clamp(x, min, max);
        if (tape.isRecording(x)) {
            List<Tensor> saved = new ArrayList<>();
            Tensor sx = save(saved, x);
            tape.record(y, new Tensor[] {x}, saved, g -> new Tensor[] {base.clampBackward(g, sx, min, max)});
        }
        return y;
    }

    @Override
    public Tensor softmax(Tensor x, int axis) {
        Tensor y = base.softmax(x, axis);
        if (tape.isRecording(x)) {
            List<Tensor> saved = new ArrayList<>();
            Tensor sy = save(saved, y);
            tape.record(y, new Tensor[] {x}, saved, g -> new Tensor[] {base.softmaxBackward(g, sy, axis)});
        }
        return y;
    }

    @Override
    public Tensor reduce(Tensor x, ReduceOp op, int[] axes, boolean keepDims) {
        Tensor y = base.reduce(x, op, axes, keepDims);
        if (tape.isRecording(x)) {
            List<Tensor> saved = new ArrayList<>();
            Shape xs = x.shape();
            int[] sorted = OpShapes.reduceAxes(x, axes);
            Shape keep = OpShapes.reduce(x, sorted, true);
            Tensor sx = op == ReduceOp.MAX ? save(saved, x) : null;
            Tensor sy = op == ReduceOp.MAX ? save(saved, y) : null;
            int count = xs.numel() / keep.numel();
            tape.record(y, new Tensor[] {x}, saved, g -> {
                try (Tensor gk = g.reshape(keep)) {
                    return new Tensor[] {switch (op) {
                        case SUM -> broadcastTo(gk, xs, 1f);
                        case MEAN -> broadcastTo(gk, xs, 1f / count);
                        case MAX -> {
                            try (Tensor yk = sy.reshape(keep)) {
                                yield base.maxReduceBackward(gk, sx, yk, sorted);
                            }
                        }
                    }};
                }
            });
        }
        return y;
    }

    @Override
    public Tensor concat(List<Tensor> tensors, int axis) {
        Tensor y = base.concat(tensors, axis);
        Tensor[] inputs = tensors.toArray(new Tensor[0]);
        if (tape.isRecording(inputs)) {
            int a = y.shape().normalizeAxis(axis);
            int[] sizes = tensors.stream().mapToInt(t -> t.shape().dim(a)).toArray();
            tape.record(y, inputs, List.of(), g -> {
                Tensor[] grads = new Tensor[inputs.length];
                int offset = 0;
                for (int i = 0; i < inputs.length; i++) {
                    grads[i] = needs(inputs[i]) ? base.slice(g, a, offset, sizes[i]) : null;
                    offset += sizes[i];
                }
                return grads;
            });
        }
        return y;
    }

    @Override
    public Tensor slice(Tensor x, int axis, int start, int length) {
        Tensor y = base.slice(x, axis, start, length);
        if (tape.isRecording(x)) {
            Shape xs = x.shape();
            int a = xs.normalizeAxis(axis);
            tape.record(y, new Tensor[] {x}, List.of(), g -> { // zeros before and after the slice, along the axis
                List<Tensor> parts = new ArrayList<>();
                try {
                    if (start > 0) {
                        parts.add(base.zeros(xs.with(a, start)));
                    }
                    parts.add(g);
                    int after = xs.dim(a) - start - length;
                    if (after > 0) {
                        parts.add(base.zeros(xs.with(a, after)));
                    }
                    return new Tensor[] {base.concat(parts, a)};
                } finally {
                    parts.stream().filter(t -> t != g).forEach(Tensor::close);
                }
            });
        }
        return y;
    }

    @Override
    public Tensor crop(Tensor x, int top, int left, int height, int width) {
        Tensor y = base.crop(x, top, left, height, width);
        if (tape.isRecording(x)) {
            int h = x.shape().dim(-2);
            int w = x.shape().dim(-1);
            tape.record(y, new Tensor[] {x}, List.of(), g -> new Tensor[] {
                base.pad(g, top, h - top - height, left, w - left - width, 0f)});
        }
        return y;
    }

    @Override
    public Tensor pad(Tensor x, int top, int bottom, int left, int right, float value) {
        Tensor y = base.pad(x, top, bottom, left, right, value);
        if (tape.isRecording(x)) {
            int h = x.shape().dim(-2);
            int w = x.shape().dim(-1);
            tape.record(y, new Tensor[] {x}, List.of(), g -> new Tensor[] {base.crop(g, top, left, h, w)});
        }
        return y;
    }

    @Override
    public Tensor resize(Tensor x, int outH, int outW, ResizeMode mode) {
        Tensor y = base.resize(x, outH, outW, mode);
        if (tape.isRecording(x)) {
            Shape xs = x.shape();
            tape.record(y, new Tensor[] {x}, List.of(), g -> new Tensor[] {base.resizeBackward(g, xs, mode)});
        }
        return y;
    }

    @Override
    public Tensor gaussianBlur(Tensor x, int kernelSize, float sigma) {
        Tensor y = base.gaussianBlur(x, kernelSize, sigma);
        if (tape.isRecording(x)) {
            tape.record(y, new Tensor[] {x}, List.of(),
                    g -> new Tensor[] {base.gaussianBlurBackward(g, kernelSize, sigma)});
        }
        return y;
    }

    @Override
    public Tensor reshape(Tensor x, Shape shape) {
        Tensor y = base.reshape(x, shape);
        if (tape.isRecording(x)) {
            Shape xs = x.shape();
            tape.record(y, new Tensor[] {x}, List.of(), g -> new Tensor[] {g.reshape(xs)});
        }
        return y;
    }

    // ---- helpers of the derivatives --------------------------------------------------------------

    /** Sums a broadcast gradient back to the shape of the operand it came from (NumPy broadcasting reversed). */
    private Tensor sumToShape(Tensor g, Shape target) {
        Shape gs = g.shape();
        if (gs.equals(target)) {
            return g.reshape(target); // a new handle: the caller owns it, the tape closes g
        }
        int lead = gs.rank() - target.rank();
        List<Integer> axes = new ArrayList<>();
        for (int i = 0; i < gs.rank(); i++) {
            if (i < lead || (target.dim(i - lead) == 1 && gs.dim(i) != 1)) {
                axes.add(i);
            }
        }
        if (axes.isEmpty()) {
            return g.reshape(target);
        }
        try (Tensor summed = base.reduce(g, ReduceOp.SUM, axes.stream().mapToInt(Integer::intValue).toArray(),
                true)) {
            return summed.reshape(target);
        }
    }

    private Tensor productGradient(Tensor g, Tensor other, Shape target) {
        try (Tensor product = base.mul(g, other)) {
            return sumToShape(product, target);
        }
    }

    /** {@code factor * g} expanded (broadcast) from its keep-dims shape to {@code shape}. */
    private Tensor broadcastTo(Tensor g, Shape shape, float factor) {
        try (Tensor zeros = base.zeros(shape); Tensor expanded = base.add(zeros, g)) {
            return factor == 1f ? expanded.reshape(shape) : base.scale(expanded, factor);
        }
    }

    private Tensor ones(Shape shape) {
        float[] v = new float[shape.numel()];
        java.util.Arrays.fill(v, 1f);
        return base.fromArray(shape, v);
    }

    private static int[] allAxesBut(int rank, int kept) {
        int[] axes = new int[rank - 1];
        for (int i = 0, k = 0; i < rank; i++) {
            if (i != kept) {
                axes[k++] = i;
            }
        }
        return axes;
    }

    // ---- everything else runs on the base device, unrecorded ---------------------------------------

    @Override
    public Kind kind() {
        return base.kind();
    }

    @Override
    public String name() {
        return base.name() + " (recording)";
    }

    @Override
    public long maxAllocationBytes() {
        return base.maxAllocationBytes();
    }

    @Override
    public Tensor fromArray(Shape shape, float[] data) {
        return base.fromArray(shape, data);
    }

    @Override
    public Tensor zeros(Shape shape) {
        return base.zeros(shape);
    }

    @Override
    public float[] toArray(Tensor t) {
        return base.toArray(t);
    }

    @Override
    public void synchronize() {
        base.synchronize();
    }

    @Override
    public Tensor conv2dBackwardInput(Tensor gradOut, Tensor weight, Shape inputShape, Conv2dParams params) {
        return base.conv2dBackwardInput(gradOut, weight, inputShape, params);
    }

    @Override
    public Tensor conv2dBackwardWeight(Tensor gradOut, Tensor input, int kernelH, int kernelW, Conv2dParams params) {
        return base.conv2dBackwardWeight(gradOut, input, kernelH, kernelW, params);
    }

    @Override
    public Tensor maxPool2dBackward(Tensor gradOut, Tensor input, Pool2dParams params) {
        return base.maxPool2dBackward(gradOut, input, params);
    }

    @Override
    public Tensor avgPool2dBackward(Tensor gradOut, Shape inputShape, Pool2dParams params, boolean countIncludePad) {
        return base.avgPool2dBackward(gradOut, inputShape, params, countIncludePad);
    }

    @Override
    public Tensor adaptiveAvgPool2dBackward(Tensor gradOut, Shape inputShape) {
        return base.adaptiveAvgPool2dBackward(gradOut, inputShape);
    }

    @Override
    public Tensor reluBackward(Tensor gradOut, Tensor output) {
        return base.reluBackward(gradOut, output);
    }

    @Override
    public Tensor clampBackward(Tensor gradOut, Tensor input, float min, float max) {
        return base.clampBackward(gradOut, input, min, max);
    }

    @Override
    public Tensor softmaxBackward(Tensor gradOut, Tensor output, int axis) {
        return base.softmaxBackward(gradOut, output, axis);
    }

    @Override
    public Tensor maxReduceBackward(Tensor gradOut, Tensor input, Tensor output, int[] axes) {
        return base.maxReduceBackward(gradOut, input, output, axes);
    }

    @Override
    public Tensor resizeBackward(Tensor gradOut, Shape inputShape, ResizeMode mode) {
        return base.resizeBackward(gradOut, inputShape, mode);
    }

    @Override
    public Tensor gaussianBlurBackward(Tensor gradOut, int kernelSize, float sigma) {
        return base.gaussianBlurBackward(gradOut, kernelSize, sigma);
    }

    /** Closes nothing: the base device belongs to the caller. */
    @Override
    public void close() {
    }
}
