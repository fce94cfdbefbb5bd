package io.ucag.runtime;

import io.ucag.runtime.ops.Conv2dParams;
import io.ucag.runtime.ops.Pool2dParams;
import java.util.Arrays;
import java.util.List;

/**
 * Argument checks and output shapes of every op, shared by all devices so that each op fails the same way
 * everywhere: one {@link IllegalArgumentException} naming the op and the shapes involved.
 */
public final class OpShapes {
    private OpShapes() {
    }

    public static Shape conv2d(Tensor x, Tensor weight, Tensor bias, Conv2dParams p) {
        Shape xs = x.shape();
        Shape ws = weight.shape();
        requireRank("conv2d", "input", xs, 4);
        requireRank("conv2d", "weight", ws, 4);
        if (xs.dim(1) != ws.dim(1)) {
            throw error("conv2d", "input " + xs + " has " + xs.dim(1) + " channels but weight " + ws + " expects "
                    + ws.dim(1) + " (groups=1)");
        }
        if (bias != null && !bias.shape().equals(Shape.of(ws.dim(0)))) {
            throw error("conv2d", "bias " + bias.shape() + " must have shape (" + ws.dim(0) + ") for weight " + ws);
        }
        int oh = p.outH(xs.dim(2), ws.dim(2));
        int ow = p.outW(xs.dim(3), ws.dim(3));
        if (oh < 1 || ow < 1) {
            throw error("conv2d", "input " + xs + " is smaller than the (dilated) kernel " + ws + " with " + p);
        }
        return Shape.of(xs.dim(0), ws.dim(0), oh, ow);
    }

    /** {@link Device#conv2dFused}: conv2d's checks, and a residual (if any) of exactly the output's shape. */
    public static Shape conv2dFused(Tensor x, Tensor weight, Tensor bias, Conv2dParams p, Tensor residual) {
        return conv2dOperand("conv2dFused", "residual", x, weight, bias, p, residual);
    }

    /** {@link Device#conv2dAddRelu}: conv2d's checks, and a residual of exactly the output's shape. */
    public static Shape conv2dAddRelu(Tensor x, Tensor weight, Tensor bias, Conv2dParams p, Tensor residual) {
        if (residual == null) {
            throw error("conv2dAddRelu", "needs a residual (the block's shortcut), got null");
        }
        return conv2dOperand("conv2dAddRelu", "residual", x, weight, bias, p, residual);
    }

    /** A convolution's output shape, checking that {@code operand} (named {@code name}; may be null) has it. */
    public static Shape conv2dOperand(String op, String name, Tensor x, Tensor weight, Tensor bias, Conv2dParams p,
                                      Tensor operand) {
        Shape ys = conv2d(x, weight, bias, p);
        if (operand != null && !operand.shape().equals(ys)) {
            throw error(op, name + " " + operand.shape() + " must have the output's shape " + ys
                    + " (input " + x.shape() + ", weight " + weight.shape() + ")");
        }
        return ys;
    }

    /** Checks that two operands of {@code op} have one shape, naming them otherwise. */
    public static void sameShape(String op, String aName, Tensor a, String bName, Tensor b) {
        if (!a.shape().equals(b.shape())) {
            throw error(op, aName + " " + a.shape() + " and " + bName + " " + b.shape() + " must have one shape");
        }
    }

    /** {@link Device#positiveShare}: the two terms and the relevance of one shape. */
    public static Shape positiveShare(Tensor mine, Tensor other, Tensor relevance) {
        if (!mine.shape().equals(other.shape()) || !mine.shape().equals(relevance.shape())) {
            throw error("positiveShare", "mine " + mine.shape() + ", other " + other.shape() + " and relevance "
                    + relevance.shape() + " must have one shape");
        }
        return mine.shape();
    }

    public static Shape linear(Tensor x, Tensor weight, Tensor bias) {
        Shape xs = x.shape();
        Shape ws = weight.shape();
        requireRank("linear", "input", xs, 2);
        requireRank("linear", "weight", ws, 2);
        if (xs.dim(1) != ws.dim(1)) {
            throw error("linear", "input " + xs + " has " + xs.dim(1) + " features but weight " + ws + " expects "
                    + ws.dim(1));
        }
        if (bias != null && !bias.shape().equals(Shape.of(ws.dim(0)))) {
            throw error("linear", "bias " + bias.shape() + " must have shape (" + ws.dim(0) + ") for weight " + ws);
        }
        return Shape.of(xs.dim(0), ws.dim(0));
    }

    public static Shape pool2d(String op, Tensor x, Pool2dParams p) {
        Shape xs = x.shape();
        requireRank(op, "input", xs, 4);
        int oh = p.outH(xs.dim(2));
        int ow = p.outW(xs.dim(3));
        if (oh < 1 || ow < 1) {
            throw error(op, "input " + xs + " is smaller than the window of " + p);
        }
        return Shape.of(xs.dim(0), xs.dim(1), oh, ow);
    }

    public static Shape adaptiveAvgPool2d(Tensor x, int outH, int outW) {
        requireRank("adaptiveAvgPool2d", "input", x.shape(), 4);
        if (outH < 1 || outW < 1) {
            throw error("adaptiveAvgPool2d", "output size must be >= 1, got " + outH + "x" + outW);
        }
        return Shape.of(x.shape().dim(0), x.shape().dim(1), outH, outW);
    }

    public static Shape batchNorm(Tensor x, Tensor mean, Tensor var, Tensor gamma, Tensor beta, float eps) {
        Shape xs = x.shape();
        if (xs.rank() < 2) {
            throw error("batchNorm", "input " + xs + " needs a channel axis 1");
        }
        Shape c = Shape.of(xs.dim(1));
        for (Tensor t : List.of(mean, var, gamma, beta)) {
            if (!t.shape().equals(c)) {
                throw error("batchNorm", "parameter " + t.shape() + " must have shape " + c + " for input " + xs);
            }
        }
        if (!(eps >= 0)) {
            throw error("batchNorm", "eps must be >= 0, got " + eps);
        }
        return xs;
    }

    /** NumPy broadcasting of two shapes (aligned at the last axis). */
    public static Shape broadcast(String op, Shape a, Shape b) {
        int rank = Math.max(a.rank(), b.rank());
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.rank() ? 1 : a.dim(i - (rank - a.rank()));
            int db = i < rank - b.rank() ? 1 : b.dim(i - (rank - b.rank()));
            if (da != db && da != 1 && db != 1) {
                throw error(op, "shapes " + a + " and " + b + " cannot be broadcast together (axis " + i + ")");
            }
            out[i] = Math.max(da, db);
        }
        return Shape.of(out);
    }

    /**
     * Strides (in elements) for reading {@code in} while iterating over {@code out} (same rank after
     * left-padding {@code in} with ones): 0 on broadcast axes.
     */
    public static int[] broadcastStrides(Shape in, Shape out) {
        int rank = out.rank();
        int[] strides = new int[rank];
        int stride = 1;
        for (int i = rank - 1; i >= 0; i--) {
            int k = i - (rank - in.rank());
            int d = k < 0 ? 1 : in.dim(k);
            strides[i] = d == 1 ? 0 : stride;
            stride *= d;
        }
        return strides;
    }

    public static Shape clamp(Tensor x, float min, float max) {
        if (Float.isNaN(min) || Float.isNaN(max) || min > max) {
            throw error("clamp", "needs min <= max, got [" + min + ", " + max + "] for " + x.shape());
        }
        return x.shape();
    }

    public static int softmaxAxis(Tensor x, int axis) {
        try {
            return x.shape().normalizeAxis(axis);
        } catch (IllegalArgumentException e) {
            throw error("softmax", e.getMessage());
        }
    }

    /** Sorted, normalised, duplicate-free reduction axes. */
    public static int[] reduceAxes(Tensor x, int[] axes) {
        Shape xs = x.shape();
        if (axes.length == 0) {
            throw error("reduce", "no axes given for " + xs);
        }
        int[] norm = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            try {
                norm[i] = xs.normalizeAxis(axes[i]);
            } catch (IllegalArgumentException e) {
                throw error("reduce", e.getMessage());
            }
        }
        Arrays.sort(norm);
        for (int i = 1; i < norm.length; i++) {
            if (norm[i] == norm[i - 1]) {
                throw error("reduce", "axis " + norm[i] + " is listed twice in " + Arrays.toString(axes));
            }
        }
        return norm;
    }

    public static Shape reduce(Tensor x, int[] sortedAxes, boolean keepDims) {
        Shape xs = x.shape();
        int[] dims = xs.dims();
        int kept = 0;
        int[] out = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            boolean reduced = Arrays.binarySearch(sortedAxes, i) >= 0;
            if (keepDims) {
                out[kept++] = reduced ? 1 : dims[i];
            } else if (!reduced) {
                out[kept++] = dims[i];
            }
        }
        return kept == 0 ? Shape.of(1) : Shape.of(Arrays.copyOf(out, kept));
    }

    public static Shape concat(List<Tensor> tensors, int axis) {
        if (tensors.isEmpty()) {
            throw error("concat", "needs at least one tensor");
        }
        Shape first = tensors.get(0).shape();
        int a;
        try {
            a = first.normalizeAxis(axis);
        } catch (IllegalArgumentException e) {
            throw error("concat", e.getMessage());
        }
        int total = 0;
        for (Tensor t : tensors) {
            Shape s = t.shape();
            if (s.rank() != first.rank() || !s.with(a, 1).equals(first.with(a, 1))) {
                throw error("concat", "shapes " + first + " and " + s + " differ outside axis " + a);
            }
            total += s.dim(a);
        }
        return first.with(a, total);
    }

    public static Shape crop(Tensor x, int top, int left, int height, int width) {
        Shape xs = x.shape();
        requireSpatial("crop", xs);
        int h = xs.dim(-2);
        int w = xs.dim(-1);
        if (top < 0 || left < 0 || height < 1 || width < 1 || top + height > h || left + width > w) {
            throw error("crop", "window rows [" + top + "," + (top + height) + ") cols [" + left + "," + (left + width)
                    + ") is not inside " + xs);
        }
        return xs.with(-2, height).with(-1, width);
    }

    public static Shape pad(Tensor x, int top, int bottom, int left, int right) {
        Shape xs = x.shape();
        requireSpatial("pad", xs);
        if (top < 0 || bottom < 0 || left < 0 || right < 0) {
            throw error("pad", "padding must be >= 0, got top " + top + " bottom " + bottom + " left " + left
                    + " right " + right + " for " + xs);
        }
        return xs.with(-2, xs.dim(-2) + top + bottom).with(-1, xs.dim(-1) + left + right);
    }

    public static Shape resize(Tensor x, int outH, int outW) {
        Shape xs = x.shape();
        requireSpatial("resize", xs);
        if (outH < 1 || outW < 1) {
            throw error("resize", "output size must be >= 1, got " + outH + "x" + outW + " for " + xs);
        }
        return xs.with(-2, outH).with(-1, outW);
    }

    public static Shape gaussianBlur(Tensor x, int kernelSize, float sigma) {
        return gaussianBlur("gaussianBlur", x, kernelSize, sigma);
    }

    /** The blur's checks under the name of {@code op} (the blur or its gradient). */
    static Shape gaussianBlur(String op, Tensor x, int kernelSize, float sigma) {
        Shape xs = x.shape();
        requireSpatial(op, xs);
        if (kernelSize < 1 || kernelSize % 2 == 0) {
            throw error(op, "kernel size must be odd and positive, got " + kernelSize);
        }
        if (!(sigma > 0) || Float.isInfinite(sigma)) {
            throw error(op, "sigma must be finite and > 0, got " + sigma);
        }
        int half = kernelSize / 2;
        if (half >= xs.dim(-2) || half >= xs.dim(-1)) {
            throw error(op, "reflect padding of " + half + " needs an image larger than that, got " + xs);
        }
        return xs;
    }

    /** Normalised 1-D gaussian weights of torchvision's {@code _get_gaussian_kernel1d}. */
    public static float[] gaussianKernel(int kernelSize, float sigma) {
        float[] k = new float[kernelSize];
        float half = (kernelSize - 1) * 0.5f;
        float sum = 0;
        for (int i = 0; i < kernelSize; i++) {
            float x = -half + i;
            k[i] = (float) Math.exp(-0.5 * (x / sigma) * (x / sigma));
            sum += k[i];
        }
        for (int i = 0; i < kernelSize; i++) {
            k[i] /= sum;
        }
        return k;
    }

    /** Elementwise ops with two inputs of the same device. */
    public static void requireSameDevice(String op, Device device, Tensor... tensors) {
        for (Tensor t : tensors) {
            if (t != null && t.device() != device) {
                throw error(op, "tensor " + t.shape() + " lives on " + t.device().name() + ", not on " + device.name()
                        + "; move it with device.fromArray(t.shape(), t.toArray())");
            }
        }
    }

    private static void requireSpatial(String op, Shape s) {
        if (s.rank() < 2) {
            throw error(op, "input " + s + " needs at least 2 (spatial) axes");
        }
    }

    private static void requireRank(String op, String what, Shape s, int rank) {
        if (s.rank() != rank) {
            throw error(op, what + " " + s + " must have rank " + rank);
        }
    }

    public static IllegalArgumentException error(String op, String message) {
        return new IllegalArgumentException(op + ": " + message);
    }
}
