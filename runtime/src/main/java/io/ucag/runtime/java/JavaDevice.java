package io.ucag.runtime.java;

import io.ucag.runtime.Device;
import io.ucag.runtime.OpShapes;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.Conv2dParams;
import io.ucag.runtime.ops.Pool2dParams;
import io.ucag.runtime.ops.ReduceOp;
import io.ucag.runtime.ops.ResizeMode;
import java.util.List;

/**
 * The pure-Java backend: plain, multi-threaded loops over float arrays. It is the reference every OpenCL
 * kernel is tested against and the fallback where no OpenCL device exists. Ops run synchronously. Each op
 * family lives in its own class ({@link JavaConv}, {@link JavaPooling}, ...); this class only dispatches.
 *
 * <p>Thread safety: any number of threads may run ops at once. The device holds no mutable state besides its
 * fork-join pool, which the ops of all callers share (each op splits its own index range into fixed chunks, so
 * results do not depend on what else runs); every op writes only its new output array. {@link #close()} stops
 * the pool: call it after the last op.
 */
public final class JavaDevice implements Device {
    /** System property overriding the number of worker threads (default: available processors). */
    public static final String THREADS_PROPERTY = "ucag.java.threads";

    private final ParallelLoop loop;

    /** A device with {@code -Ducag.java.threads} threads, else one per available processor. */
    public JavaDevice() {
        this(Integer.getInteger(THREADS_PROPERTY, Runtime.getRuntime().availableProcessors()));
    }

    /** A device whose ops use {@code threads} worker threads (1: every op runs on the calling thread). */
    public JavaDevice(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("JavaDevice needs >= 1 thread, got " + threads);
        }
        this.loop = new ParallelLoop(threads);
    }

    @Override
    public Kind kind() {
        return Kind.JAVA;
    }

    @Override
    public String name() {
        return "java (" + loop.threads() + " threads)";
    }

    @Override
    public long maxAllocationBytes() {
        return (long) (Integer.MAX_VALUE - 8) * Float.BYTES;
    }

    /** The worker threads of this device, for op implementations. */
    public ParallelLoop loop() {
        return loop;
    }

    /** A new zero-filled tensor on this device, for op implementations. */
    public Tensor allocate(Shape shape) {
        return new Tensor(this, shape, new JavaBuffer(new float[shape.numel()]));
    }

    /** The backing array of a tensor of this device (not a copy), for op implementations. */
    public float[] data(Tensor t) {
        if (t.device() != this) {
            throw new IllegalArgumentException("tensor " + t.shape() + " lives on " + t.device().name()
                    + ", not on " + name());
        }
        return ((JavaBuffer) t.buffer()).data();
    }

    @Override
    public Tensor fromArray(Shape shape, float[] data) {
        if (data.length != shape.numel()) {
            throw new IllegalArgumentException("fromArray: " + data.length + " values for shape " + shape + " ("
                    + shape.numel() + " expected)");
        }
        return new Tensor(this, shape, new JavaBuffer(data.clone()));
    }

    @Override
    public Tensor zeros(Shape shape) {
        return allocate(shape);
    }

    @Override
    public float[] toArray(Tensor t) {
        return java.util.Arrays.copyOf(data(t), t.shape().numel());
    }

    @Override
    public void synchronize() {
        // ops are synchronous
    }

    @Override
    public Tensor conv2d(Tensor x, Tensor weight, Tensor bias, Conv2dParams params) {
        OpShapes.requireSameDevice("conv2d", this, x, weight, bias);
        return JavaConv.conv2d(this, x, weight, bias, params);
    }

    @Override
    public Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        OpShapes.requireSameDevice("linear", this, x, weight, bias);
        return JavaConv.linear(this, x, weight, bias);
    }

    @Override
    public Tensor maxPool2d(Tensor x, Pool2dParams params) {
        OpShapes.requireSameDevice("maxPool2d", this, x);
        return JavaPooling.maxPool2d(this, x, params);
    }

    @Override
    public Tensor avgPool2d(Tensor x, Pool2dParams params, boolean countIncludePad) {
        OpShapes.requireSameDevice("avgPool2d", this, x);
        return JavaPooling.avgPool2d(this, x, params, countIncludePad);
    }

    @Override
    public Tensor adaptiveAvgPool2d(Tensor x, int outH, int outW) {
        OpShapes.requireSameDevice("adaptiveAvgPool2d", this, x);
        return JavaPooling.adaptiveAvgPool2d(this, x, outH, outW);
    }

    @Override
    public Tensor batchNorm(Tensor x, Tensor mean, Tensor var, Tensor gamma, Tensor beta, float eps) {
        OpShapes.requireSameDevice("batchNorm", this, x, mean, var, gamma, beta);
        return JavaElementwise.batchNorm(this, x, mean, var, gamma, beta, eps);
    }

    @Override
    public Tensor relu(Tensor x) {
        OpShapes.requireSameDevice("relu", this, x);
        return JavaElementwise.relu(this, x);
    }

    @Override
    public Tensor add(Tensor a, Tensor b) {
        OpShapes.requireSameDevice("add", this, a, b);
        return JavaElementwise.add(this, a, b);
    }

    @Override
    public Tensor mul(Tensor a, Tensor b) {
        OpShapes.requireSameDevice("mul", this, a, b);
        return JavaElementwise.mul(this, a, b);
    }

    @Override
    public Tensor div(Tensor a, Tensor b) {
        OpShapes.requireSameDevice("div", this, a, b);
        return JavaElementwise.div(this, a, b);
    }

    @Override
    public Tensor abs(Tensor x) {
        OpShapes.requireSameDevice("abs", this, x);
        return JavaElementwise.abs(this, x);
    }

    @Override
    public Tensor sign(Tensor x) {
        OpShapes.requireSameDevice("sign", this, x);
        return JavaElementwise.sign(this, x);
    }

    @Override
    public Tensor scale(Tensor x, float factor) {
        OpShapes.requireSameDevice("scale", this, x);
        return JavaElementwise.scale(this, x, factor);
    }

    @Override
    public Tensor exp(Tensor x) {
        OpShapes.requireSameDevice("exp", this, x);
        return JavaElementwise.exp(this, x);
    }

    @Override
    public Tensor clamp(Tensor x, float min, float max) {
        OpShapes.requireSameDevice("clamp", this, x);
        return JavaElementwise.clamp(this, x, min, max);
    }

    @Override
    public Tensor softmax(Tensor x, int axis) {
        OpShapes.requireSameDevice("softmax", this, x);
        return JavaReductions.softmax(this, x, axis);
    }

    @Override
    public Tensor reduce(Tensor x, ReduceOp op, int[] axes, boolean keepDims) {
        OpShapes.requireSameDevice("reduce", this, x);
        return JavaReductions.reduce(this, x, op, axes, keepDims);
    }

    @Override
    public Tensor concat(List<Tensor> tensors, int axis) {
        OpShapes.requireSameDevice("concat", this, tensors.toArray(new Tensor[0]));
        return JavaLayout.concat(this, tensors, axis);
    }

    @Override
    public Tensor crop(Tensor x, int top, int left, int height, int width) {
        OpShapes.requireSameDevice("crop", this, x);
        return JavaLayout.crop(this, x, top, left, height, width);
    }

    @Override
    public Tensor pad(Tensor x, int top, int bottom, int left, int right, float value) {
        OpShapes.requireSameDevice("pad", this, x);
        return JavaLayout.pad(this, x, top, bottom, left, right, value);
    }

    @Override
    public Tensor resize(Tensor x, int outH, int outW, ResizeMode mode) {
        OpShapes.requireSameDevice("resize", this, x);
        return JavaResampling.resize(this, x, outH, outW, mode);
    }

    @Override
    public Tensor gaussianBlur(Tensor x, int kernelSize, float sigma) {
        OpShapes.requireSameDevice("gaussianBlur", this, x);
        return JavaResampling.gaussianBlur(this, x, kernelSize, sigma);
    }

    @Override
    public Tensor conv2dBackwardInput(Tensor gradOut, Tensor weight, Shape inputShape, Conv2dParams params) {
        OpShapes.requireSameDevice("conv2dBackwardInput", this, gradOut, weight);
        return JavaConvBackward.conv2dBackwardInput(this, gradOut, weight, inputShape, params);
    }

    @Override
    public Tensor conv2dBackwardWeight(Tensor gradOut, Tensor input, int kernelH, int kernelW, Conv2dParams params) {
        OpShapes.requireSameDevice("conv2dBackwardWeight", this, gradOut, input);
        return JavaConvBackward.conv2dBackwardWeight(this, gradOut, input, kernelH, kernelW, params);
    }

    @Override
    public Tensor matmul(Tensor a, Tensor b, boolean transposeA, boolean transposeB) {
        OpShapes.requireSameDevice("matmul", this, a, b);
        return JavaConvBackward.matmul(this, a, b, transposeA, transposeB);
    }

    @Override
    public Tensor maxPool2dBackward(Tensor gradOut, Tensor input, Pool2dParams params) {
        OpShapes.requireSameDevice("maxPool2dBackward", this, gradOut, input);
        return JavaPoolingBackward.maxPool2dBackward(this, gradOut, input, params);
    }

    @Override
    public Tensor avgPool2dBackward(Tensor gradOut, Shape inputShape, Pool2dParams params, boolean countIncludePad) {
        OpShapes.requireSameDevice("avgPool2dBackward", this, gradOut);
        return JavaPoolingBackward.avgPool2dBackward(this, gradOut, inputShape, params, countIncludePad);
    }

    @Override
    public Tensor adaptiveAvgPool2dBackward(Tensor gradOut, Shape inputShape) {
        OpShapes.requireSameDevice("adaptiveAvgPool2dBackward", this, gradOut);
        return JavaPoolingBackward.adaptiveAvgPool2dBackward(this, gradOut, inputShape);
    }

    @Override
    public Tensor reluBackward(Tensor gradOut, Tensor output) {
        OpShapes.requireSameDevice("reluBackward", this, gradOut, output);
        return JavaPointwiseBackward.reluBackward(this, gradOut, output);
    }

    @Override
    public Tensor clampBackward(Tensor gradOut, Tensor input, float min, float max) {
        OpShapes.requireSameDevice("clampBackward", this, gradOut, input);
        return JavaPointwiseBackward.clampBackward(this, gradOut, input, min, max);
    }

    @Override
    public Tensor softmaxBackward(Tensor gradOut, Tensor output, int axis) {
        OpShapes.requireSameDevice("softmaxBackward", this, gradOut, output);
        return JavaPointwiseBackward.softmaxBackward(this, gradOut, output, axis);
    }

    @Override
    public Tensor maxReduceBackward(Tensor gradOut, Tensor input, Tensor output, int[] axes) {
        OpShapes.requireSameDevice("maxReduceBackward", this, gradOut, input, output);
        return JavaPointwiseBackward.maxReduceBackward(this, gradOut, input, output, axes);
    }

    @Override
    public Tensor resizeBackward(Tensor gradOut, Shape inputShape, ResizeMode mode) {
        OpShapes.requireSameDevice("resizeBackward", this, gradOut);
        return JavaResamplingBackward.resizeBackward(this, gradOut, inputShape, mode);
    }

    @Override
    public Tensor gaussianBlurBackward(Tensor gradOut, int kernelSize, float sigma) {
        OpShapes.requireSameDevice("gaussianBlurBackward", this, gradOut);
        return JavaResamplingBackward.gaussianBlurBackward(this, gradOut, kernelSize, sigma);
    }

    @Override
    public Tensor slice(Tensor x, int axis, int start, int length) {
        OpShapes.requireSameDevice("slice", this, x);
        return JavaSlice.slice(this, x, axis, start, length);
    }

    @Override
    public void close() {
        loop.shutdown();
    }

    @Override
    public String toString() {
        return name();
    }
}
