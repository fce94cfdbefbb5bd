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
 * <p>Thread safety: a device may be used by several threads at once (each with its own tensors).
 * {@link #close()} frees the device's own resources (contexts, programs); close tensors first.
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

    /** a + b with NumPy/PyTorch broadcasting. */
    Tensor add(Tensor a, Tensor b);

    /** a * b with NumPy/PyTorch broadcasting. */
    Tensor mul(Tensor a, Tensor b);

    /** x * factor. */
    Tensor scale(Tensor x, float factor);

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

    @Override
    void close();
}
