package io.ucag.runtime;

import io.ucag.runtime.ops.Conv2dParams;
import io.ucag.runtime.ops.Pool2dParams;
import io.ucag.runtime.ops.ReduceOp;
import io.ucag.runtime.ops.ResizeMode;
import java.util.List;

/**
 * Where tensors live and ops run: the pure-Java reference ({@code java}) or an OpenCL device ({@code opencl}).
 * One method per op; every op follows PyTorch's semantics (differences are documented on the method), checks
 * its arguments with {@link OpShapes} and returns a new tensor on this device. Inputs must live on this
 * device. Ops queue work without host round-trips; only {@link #toArray} waits for results.
 *
 * <p>Thread safety: the Java and the OpenCL device may be used by several threads at once, each with its own
 * tensors (tensors themselves are not thread-safe; shared read-only tensors such as weights are fine). Devices
 * that record what runs on them -- {@code autograd.RecordingDevice}, {@code profile.OpProfile}'s proxy -- are
 * confined to one thread. {@link #close()} frees the device's own resources (contexts, programs); close
 * tensors first.
 */
public interface Device extends AutoCloseable {

    /** Which backend implements this device. */
    enum Kind { JAVA, OPENCL }

    Kind kind();

    /** Human-readable identity, e.g. {@code opencl:Portable Computing Language/pthread-skylake (CPU)}. */
    String name();

    /** The largest single allocation this device accepts, in bytes. */
    long maxAllocationBytes();

    // ---- memory ----------------------------------------------------------------------------------

    /** A tensor holding a copy of {@code data} (length must equal {@code shape.numel()}). */
    Tensor fromArray(Shape shape, float[] data);

    /** A tensor of zeros. */
    Tensor zeros(Shape shape);

    /** Copies the tensor's values to a new array. */
    float[] toArray(Tensor t);

    /** Blocks until all queued work has finished (a no-op on synchronous devices). */
    void synchronize();

    // ---- convolution and linear ------------------------------------------------------------------

    /** {@code F.conv2d}: x (N,C,H,W), weight (O,C,kh,kw), bias (O) or null -> (N,O,Ho,Wo); groups = 1. */
    Tensor conv2d(Tensor x, Tensor weight, Tensor bias, Conv2dParams params);

    /**
     * A convolution with a layer's element-wise tail: {@code relu?(conv2d(x, weight, bias) + residual)}, residual
     * (N,O,Ho,Wo) (a residual block's shortcut) or null. Devices that can run the tail inside the convolution's
     * store save one or two passes over the output; this default runs the three ops.
     */
    default Tensor conv2dFused(Tensor x, Tensor weight, Tensor bias, Conv2dParams params, Tensor residual,
                               boolean relu) {
        OpShapes.conv2dFused(x, weight, bias, params, residual);
        Tensor y = conv2d(x, weight, bias, params);
        if (residual != null) {
            try (Tensor convolved = y) {
                y = add(convolved, residual);
            }
        }
        if (relu) {
            try (Tensor linear = y) {
                y = relu(linear);
            }
        }
        return y;
    }

    /**
     * A residual block's last convolution with its output: {@code {relu(conv2d(x, weight, bias) + residual),
     * conv2d(x, weight, bias)}}, the block's output and its body's, both kept for relevance rules that split the
     * block's relevance between the two paths. Devices that can store both from the convolution save addRelu's pass;
     * this default runs the two ops. Either way the same floats.
     */
    default Tensor[] conv2dAddRelu(Tensor x, Tensor weight, Tensor bias, Conv2dParams params, Tensor residual) {
        OpShapes.conv2dAddRelu(x, weight, bias, params, residual);
        Tensor body = conv2d(x, weight, bias, params);
        return new Tensor[] {addRelu(body, residual), body};
    }

    /**
     * {@code numerator / conv2d(x, weight, bias)}, numerator of the output's shape: an LRP rule's quotient
     * {@code s = R / z}. Devices that can divide in the convolution's store save a pass over z; this default runs the
     * two ops. Either way the same floats: the division reads the convolution as stored.
     */
    default Tensor conv2dDivide(Tensor numerator, Tensor x, Tensor weight, Tensor bias, Conv2dParams params) {
        OpShapes.conv2dOperand("conv2dDivide", "numerator", x, weight, bias, params, numerator);
        try (Tensor z = conv2d(x, weight, bias, params)) {
            return div(numerator, z);
        }
    }

    /** {@code F.linear}: x (N,K), weight (M,K), bias (M) or null -> (N,M) = x W^T + b. */
    Tensor linear(Tensor x, Tensor weight, Tensor bias);

    // ---- pooling and normalisation ---------------------------------------------------------------

    /** {@code F.max_pool2d}: (N,C,H,W) -> (N,C,Ho,Wo); padding counts as -inf. */
    Tensor maxPool2d(Tensor x, Pool2dParams params);

    /**
     * {@code F.avg_pool2d}: (N,C,H,W) -> (N,C,Ho,Wo). With {@code countIncludePad} the divisor counts padding
     * (but not the part of a ceil-mode window that hangs past the padding), otherwise only input pixels.
     */
    Tensor avgPool2d(Tensor x, Pool2dParams params, boolean countIncludePad);

    /** {@code F.adaptive_avg_pool2d}: bins [floor(i*H/oh), ceil((i+1)*H/oh)) per axis. */
    Tensor adaptiveAvgPool2d(Tensor x, int outH, int outW);

    /**
     * Inference batch norm over channel axis 1 of (N,C,...): {@code (x - mean) / sqrt(var + eps) * gamma + beta};
     * each parameter has shape (C).
     */
    Tensor batchNorm(Tensor x, Tensor mean, Tensor var, Tensor gamma, Tensor beta, float eps);

    // ---- elementwise -----------------------------------------------------------------------------

    Tensor relu(Tensor x);

    /**
     * {@code relu(a + b)} (a residual block's output) with add's broadcasting; devices that can do it in one pass
     * over the tensors save one. The same floats as the two ops.
     */
    default Tensor addRelu(Tensor a, Tensor b) {
        try (Tensor sum = add(a, b)) {
            return relu(sum);
        }
    }

    /** a + b with NumPy/PyTorch broadcasting. */
    Tensor add(Tensor a, Tensor b);

    /** a * b with NumPy/PyTorch broadcasting. */
    Tensor mul(Tensor a, Tensor b);

    /** a / b with NumPy/PyTorch broadcasting (IEEE division: x/0 is +-inf, 0/0 is NaN). */
    Tensor div(Tensor a, Tensor b);

    /**
     * One term's share of a sum's relevance under alpha1-beta0 (LRP through a residual addition y = a + b, taken as
     * an affine map with unit weights): {@code m * (relevance / ((m + o) + step))} with {@code m = relu(mine)},
     * {@code o = relu(other)}, all three of one shape ({@code step}: the stabiliser, > 0 for non-negative sums).
     * Devices that can do it in one pass over the tensors save five; this default runs the ops one by one, and a
     * fused version must give the same floats.
     */
    default Tensor positiveShare(Tensor mine, Tensor other, Tensor relevance, float step) {
        OpShapes.positiveShare(mine, other, relevance);
        try (Tensor minePos = relu(mine); Tensor otherPos = relu(other); Tensor total = add(minePos, otherPos);
             Tensor stepTensor = fromArray(Shape.of(1), new float[] {step}); Tensor z = add(total, stepTensor);
             Tensor s = div(relevance, z)) {
            return mul(minePos, s);
        }
    }

    /**
     * Both terms' shares, {@code {positiveShare(a, b, relevance, step), positiveShare(b, a, relevance, step)}}: one
     * pass over the three operands where the device can, the same floats.
     */
    default Tensor[] positiveShares(Tensor a, Tensor b, Tensor relevance, float step) {
        Tensor first = positiveShare(a, b, relevance, step);
        try {
            return new Tensor[] {first, positiveShare(b, a, relevance, step)};
        } catch (RuntimeException e) {
            first.close();
            throw e;
        }
    }

    /** x * factor. */
    Tensor scale(Tensor x, float factor);

    /** |x| ({@code torch.abs}). */
    Tensor abs(Tensor x);

    /** {@code torch.sign}: -1, 0 or 1; 0.0 for -0.0 and for NaN (as torch 1.13, unlike numpy.sign). */
    Tensor sign(Tensor x);

    Tensor exp(Tensor x);

    /** {@code torch.clamp(x, min, max)}; NaN stays NaN. Use infinities for a one-sided clamp. */
    Tensor clamp(Tensor x, float min, float max);

    // ---- reductions ------------------------------------------------------------------------------

    /** {@code torch.softmax(x, axis)}, numerically stable (max subtracted). */
    Tensor softmax(Tensor x, int axis);

    /**
     * Sum, mean or max over {@code axes} (negative axes count from the end; duplicates are an error). With
     * {@code keepDims} reduced axes stay as size 1; otherwise they are removed (a full reduction gives shape (1)).
     */
    Tensor reduce(Tensor x, ReduceOp op, int[] axes, boolean keepDims);

    // ---- layout ----------------------------------------------------------------------------------

    /**
     * The same values with another shape of equal element count (a view, no copy). Prefer this to
     * {@link Tensor#reshape} in model code: a recording device ({@code autograd.Tape}) differentiates it.
     */
    default Tensor reshape(Tensor x, Shape shape) {
        return x.reshape(shape);
    }

    /** {@code torch.cat(tensors, axis)}: all other dimensions must match. */
    Tensor concat(List<Tensor> tensors, int axis);

    /** The window rows [top, top+height) and columns [left, left+width) of the last two axes. */
    Tensor crop(Tensor x, int top, int left, int height, int width);

    /** Constant padding of the last two axes, as {@code F.pad(x, (left, right, top, bottom), value=value)}. */
    Tensor pad(Tensor x, int top, int bottom, int left, int right, float value);

    // ---- resampling and filtering ----------------------------------------------------------------

    /** {@code F.interpolate(x, size=(outH,outW), mode, align_corners=False)} over the last two axes. */
    Tensor resize(Tensor x, int outH, int outW, ResizeMode mode);

    /**
     * {@code torchvision.transforms.functional.gaussian_blur}: separable gaussian of odd {@code kernelSize}
     * and {@code sigma} > 0 over the last two axes, reflect padding (the border pixel is not repeated).
     */
    Tensor gaussianBlur(Tensor x, int kernelSize, float sigma);

    // ---- backward: derivatives and adjoints of the ops above (used by autograd.Tape) --------------

    /**
     * Gradient of {@link #conv2d} with respect to its input: the transposed convolution of gradOut (N,O,Ho,Wo)
     * with weight (O,C,kh,kw), giving {@code inputShape} (N,C,H,W). Input pixels no window touched get 0.
     */
    Tensor conv2dBackwardInput(Tensor gradOut, Tensor weight, Shape inputShape, Conv2dParams params);

    /**
     * {@code factor * conv2dBackwardInput(gradOut, weight, factor.shape(), params)}: an LRP rule's product
     * {@code x * f^T(s)}. Devices that can multiply in the store save a pass; this default runs the two ops (the
     * same floats either way).
     */
    default Tensor conv2dBackwardInputTimes(Tensor factor, Tensor gradOut, Tensor weight, Conv2dParams params) {
        try (Tensor transposed = conv2dBackwardInput(gradOut, weight, factor.shape(), params)) {
            return mul(factor, transposed);
        }
    }

    /**
     * {@code conv2dBackwardInputTimes(factor, gradOut, weight, params) + addend} (addend of factor's shape): an LRP
     * rule's {@code x * f^T(s)} plus the relevance a residual block's other path brings to the same input. Devices
     * that can add in the store save a pass; this default runs the ops (the same floats either way).
     */
    default Tensor conv2dBackwardInputTimesPlus(Tensor factor, Tensor gradOut, Tensor weight, Conv2dParams params,
                                                Tensor addend) {
        OpShapes.sameShape("conv2dBackwardInputTimesPlus", "factor", factor, "addend", addend);
        try (Tensor product = conv2dBackwardInputTimes(factor, gradOut, weight, params)) {
            return add(product, addend);
        }
    }

    /**
     * Gradient of {@link #conv2d} with respect to its weight: (O,C,kh,kw), summed over the batch, from
     * gradOut (N,O,Ho,Wo) and the forward input (N,C,H,W). The bias gradient is {@code reduce(SUM, {0,2,3})}.
     */
    Tensor conv2dBackwardWeight(Tensor gradOut, Tensor input, int kernelH, int kernelW, Conv2dParams params);

    /**
     * Matrix product of rank-2 tensors, op(a) (M,K) times op(b) (K,N), where op transposes when asked:
     * {@code torch.matmul(a.T if transposeA else a, b.T if transposeB else b)}.
     */
    Tensor matmul(Tensor a, Tensor b, boolean transposeA, boolean transposeB);

    /**
     * Gradient of {@link #maxPool2d}: each window's gradient goes to its maximum (the first one in row-major
     * scan order on ties; NaN counts as the maximum, the last one where a window holds several, as PyTorch on CPU);
     * windows overlap, so gradients add up.
     */
    Tensor maxPool2dBackward(Tensor gradOut, Tensor input, Pool2dParams params);

    /** Gradient of {@link #avgPool2d}: each window spreads its gradient / divisor over its input pixels. */
    Tensor avgPool2dBackward(Tensor gradOut, Shape inputShape, Pool2dParams params, boolean countIncludePad);

    /** Gradient of {@link #adaptiveAvgPool2d}: each bin spreads its gradient evenly over its input pixels. */
    Tensor adaptiveAvgPool2dBackward(Tensor gradOut, Shape inputShape);

    /**
     * Gradient of {@link #relu} from its output: gradOut where {@code output > 0} or NaN (PyTorch zeroes where
     * {@code output <= 0}).
     */
    Tensor reluBackward(Tensor gradOut, Tensor output);

    /** Gradient of {@link #clamp}: gradOut where {@code min <= input <= max} (inclusive, as PyTorch), else 0. */
    Tensor clampBackward(Tensor gradOut, Tensor input, float min, float max);

    /** Gradient of {@link #softmax} from its output y: {@code y * (gradOut - sum(gradOut * y, axis))}. */
    Tensor softmaxBackward(Tensor gradOut, Tensor output, int axis);

    /**
     * Gradient of a MAX {@link #reduce} (as {@code torch.amax}): gradOut and output have the keep-dims shape;
     * the gradient is split evenly between the elements of each reduced group that equal its maximum.
     */
    Tensor maxReduceBackward(Tensor gradOut, Tensor input, Tensor output, int[] axes);

    /** Gradient of {@link #resize}: the exact adjoint of the interpolation, giving {@code inputShape}. */
    Tensor resizeBackward(Tensor gradOut, Shape inputShape, ResizeMode mode);

    /** Gradient of {@link #gaussianBlur}: the adjoint of the reflect-padded separable filter. */
    Tensor gaussianBlurBackward(Tensor gradOut, int kernelSize, float sigma);

    /** {@code x.narrow(axis, start, length)} as a new tensor (used for the gradient of {@link #concat}). */
    Tensor slice(Tensor x, int axis, int start, int length);

    @Override
    void close();
}
