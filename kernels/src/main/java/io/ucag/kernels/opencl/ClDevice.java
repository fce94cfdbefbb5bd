package io.ucag.kernels.opencl;

import static org.jocl.CL.CL_CONTEXT_PLATFORM;
import static org.jocl.CL.CL_MEM_COPY_HOST_PTR;
import static org.jocl.CL.CL_MEM_READ_WRITE;
import static org.jocl.CL.CL_TRUE;
import static org.jocl.CL.clCreateBuffer;
import static org.jocl.CL.clCreateCommandQueue;
import static org.jocl.CL.clCreateContext;
import static org.jocl.CL.clEnqueueFillBuffer;
import static org.jocl.CL.clEnqueueReadBuffer;
import static org.jocl.CL.clEnqueueWriteBuffer;
import static org.jocl.CL.clFinish;
import static org.jocl.CL.clReleaseCommandQueue;
import static org.jocl.CL.clReleaseContext;

import io.ucag.runtime.AlignedPlanes;
import io.ucag.runtime.Device;
import io.ucag.runtime.OpShapes;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.Conv2dParams;
import io.ucag.runtime.ops.Pool2dParams;
import io.ucag.runtime.ops.ReduceOp;
import io.ucag.runtime.ops.ResizeMode;
import java.util.List;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_mem;

/**
 * An OpenCL device: one context, one in-order queue, programs built once and cached. Ops queue kernels and
 * return at once; only {@link #toArray} and {@link #synchronize} wait. Each op family lives in its own class
 * ({@link ClConv}, {@link ClPooling}, ...); this class owns memory and dispatches.
 *
 * <p>Thread safety: any number of threads may run ops at once. OpenCL calls are thread-safe except
 * {@code clSetKernelArg}, so {@link ClKernel#launch} sets a kernel's arguments and queues it under the kernel's
 * lock; the program cache and the buffer pool are synchronised. Every command of every thread goes to the one
 * in-order queue, which also makes pooled buffers safe to reuse across threads: a buffer released by one thread
 * and taken by another is written only after the commands that read it before. Callers therefore share the
 * device rather than run side by side. {@link #close()} releases the pool, programs, queue and context: call it
 * after every tensor of the device is closed and no op runs.
 */
public final class ClDevice implements Device {
    /** System property: megabytes of released buffers kept for reuse (default: 1024, or a quarter of memory). */
    public static final String POOL_PROPERTY = "ucag.opencl.pool.mb";

    private final ClDeviceInfo info;
    private final cl_context context;
    private final cl_command_queue queue;
    private final ClProgramCache programs;
    private final ClBufferPool pool;

    private ClDevice(ClDeviceSelector.Candidate candidate) {
        this.info = candidate.info();
        cl_context_properties properties = new cl_context_properties();
        properties.addProperty(CL_CONTEXT_PLATFORM, candidate.platform());
        cl_device_id[] devices = {candidate.device()};
        this.context = clCreateContext(properties, 1, devices, null, null, null);
        this.queue = clCreateCommandQueue(context, candidate.device(), 0, null);
        // IEEE division and square root where the device offers them: the Java device's (and PyTorch's) floats;
        // on CPUs (clang-based compilers: PoCL, Intel's) common.cl's PREFETCH issues real prefetches
        String deviceOptions = ((info.correctlyRoundedDivide() ? "-cl-fp32-correctly-rounded-divide-sqrt" : "")
                + (info.isCpu() ? " -DCPU_PREFETCH" : "")).trim();
        this.programs = new ClProgramCache(context, candidate.device(), queue, deviceOptions, this::compact);
        long defaultMb = Math.min(1024, info.globalMemoryBytes() / 4 >> 20);
        this.pool = new ClBufferPool(Long.getLong(POOL_PROPERTY, defaultMb) << 20);
    }

    /** Opens the preferred OpenCL device (see {@link ClDeviceSelector}), or throws saying why there is none. */
    public static ClDevice open() {
        SignalChaining.warnIfInactive();
        return new ClDevice(ClDeviceSelector.select());
    }

    public ClDeviceInfo info() {
        return info;
    }

    @Override
    public Kind kind() {
        return Kind.OPENCL;
    }

    @Override
    public String name() {
        return "opencl:" + info.description();
    }

    @Override
    public long maxAllocationBytes() {
        return info.maxAllocationBytes();
    }

    /** The cached kernel {@code kernelName} of {@code file} built with default options. */
    public ClKernel kernel(String file, String kernelName) {
        return kernel(file, kernelName, "");
    }

    /** The cached kernel {@code kernelName} of {@code file} built with {@code buildOptions} (e.g. -D defines). */
    public ClKernel kernel(String file, String kernelName, String buildOptions) {
        return programs.kernel(file, kernelName, buildOptions);
    }

    /** New device memory for {@code shape}, contents undefined; refuses sizes above the allocation cap. */
    public Tensor allocate(Shape shape) {
        return allocate(shape, shape.numel(), 0, 0);
    }

    /**
     * {@code floats} floats for {@code shape}, an idle buffer of the pool or a new one, in planes of {@code plane}
     * values {@code stride} floats apart (0, 0: dense).
     */
    private Tensor allocate(Shape shape, long floats, int plane, int stride) {
        long bytes = floats * Float.BYTES;
        ClBufferPool.Reused reused = pool.take(bytes);
        cl_mem mem = reused != null ? reused.mem() : createBuffer(shape, bytes, CL_MEM_READ_WRITE, null);
        long size = reused != null ? reused.bytes() : bytes;
        pool.lend(size);
        return new Tensor(this, shape, new ClBuffer(mem, size, floats, pool, plane, stride));
    }

    private Tensor tensor(Shape shape, cl_mem mem, long bytes) {
        pool.lend(bytes);
        return new Tensor(this, shape, new ClBuffer(mem, bytes, shape.numel(), pool));
    }

    /**
     * Floats a padded plane is rounded up to. A whole vector of 16 aligns the loads, but planes an odd number of
     * cache lines apart measured slower (81x81 planes, batch 12, 1x1 256 -> 64: 15.1 ms at a stride of 6576 floats,
     * 14.0 at 6592, 18.9 dense; 64 -> 256: 17.6, 16.3 and 20.1 ms); 64 floats costs at most 63 per plane.
     */
    static final int PLANE_ALIGNMENT = 64;

    /**
     * Memory for a convolution's output of {@code shape}: inside {@link AlignedPlanes} scopes, a 4-D output whose
     * planes are not whole vectors of {@code vector} floats gets its planes padded to {@link #PLANE_ALIGNMENT}, so
     * that the convolutions that read it load whole cache lines ({@link ClBuffer#padded}; only plane-aware kernels
     * read such memory, others get a compact copy); else {@link #allocate}.
     */
    Tensor allocatePlanes(Shape shape, int vector) {
        int plane = shape.rank() == 4 ? shape.dim(2) * shape.dim(3) : 0;
        if (!AlignedPlanes.allowed() || plane < vector || plane % vector == 0) {
            return allocate(shape);
        }
        return allocatePadded(shape, (plane + PLANE_ALIGNMENT - 1) / PLANE_ALIGNMENT * PLANE_ALIGNMENT);
    }

    /** Memory for the 4-D {@code shape} with each (n, c) plane starting {@code stride} floats after the last. */
    Tensor allocatePadded(Shape shape, int stride) {
        return allocate(shape, (long) shape.dim(0) * shape.dim(1) * stride, shape.dim(2) * shape.dim(3), stride);
    }

    /**
     * {@code t} for a plane-aware kernel: another handle to it when it is dense or its padded planes are its (n, c)
     * planes, else a compact copy (a padded tensor reshaped to other planes). The caller closes the result.
     */
    Tensor planar(Tensor t) {
        ClBuffer b = (ClBuffer) t.buffer();
        if (!b.padded() || (t.shape().rank() == 4 && b.planeSize() == t.shape().dim(2) * t.shape().dim(3))) {
            return t.share();
        }
        return compact(t);
    }

    /** Floats from one (n, c) plane of a 4-D tensor {@link #planar} returned to the next. */
    static int planeStride(Tensor t) {
        ClBuffer b = (ClBuffer) t.buffer();
        return b.padded() ? b.planeStride() : t.shape().dim(2) * t.shape().dim(3);
    }

    /** A dense copy of a tensor whose planes are padded (layout.cl's compact_planes). */
    private Tensor compact(Tensor padded) {
        ClBuffer b = (ClBuffer) padded.buffer();
        int planes = (int) (b.floats() / b.planeStride());
        Tensor out = allocate(padded.shape());
        kernel("layout.cl", "compact_planes").launch(new long[] {planes}, null, padded, out, planes, b.planeSize(),
                b.planeStride());
        return out;
    }

    /**
     * Bytes held by this device's tensors that are not yet released (closed by every holder). Zero once every
     * tensor and every model on the device is closed; released memory kept for reuse does not count.
     */
    public long liveBytes() {
        return pool.lentBytes();
    }

    private cl_mem createBuffer(Shape shape, long flags, Pointer host) {
        return createBuffer(shape, shape.bytes(), flags, host);
    }

    private cl_mem createBuffer(Shape shape, long bytes, long flags, Pointer host) {
        if (bytes > info.maxAllocationBytes()) {
            throw new IllegalArgumentException("opencl: a tensor " + shape + " needs " + (bytes >> 20)
                    + " MiB, above this device's largest allocation (CL_DEVICE_MAX_MEM_ALLOC_SIZE = "
                    + (info.maxAllocationBytes() >> 20) + " MiB): split the batch into smaller micro-batches");
        }
        try {
            return clCreateBuffer(context, flags, bytes, host, null);
        } catch (CLException e) {
            throw new IllegalStateException("opencl: allocating " + (bytes >> 20) + " MiB for " + shape
                    + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Tensor fromArray(Shape shape, float[] data) {
        if (data.length != shape.numel()) {
            throw new IllegalArgumentException("fromArray: " + data.length + " values for shape " + shape + " ("
                    + shape.numel() + " expected)");
        }
        ClBufferPool.Reused reused = pool.take(shape.bytes());
        if (reused == null) {
            cl_mem mem = createBuffer(shape, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, Pointer.to(data));
            return tensor(shape, mem, shape.bytes());
        }
        // Blocking: the caller may change its array as soon as this returns.
        clEnqueueWriteBuffer(queue, reused.mem(), CL_TRUE, 0, shape.bytes(), Pointer.to(data), 0, null, null);
        return tensor(shape, reused.mem(), reused.bytes());
    }

    @Override
    public Tensor zeros(Shape shape) {
        Tensor t = allocate(shape);
        clEnqueueFillBuffer(queue, mem(t), Pointer.to(new float[] {0f}), Sizeof.cl_float, 0, shape.bytes(), 0, null,
                null);
        return t;
    }

    @Override
    public float[] toArray(Tensor t) {
        OpShapes.requireSameDevice("toArray", this, t);
        if (((ClBuffer) t.buffer()).padded()) {
            try (Tensor dense = compact(t)) {
                return toArray(dense);
            }
        }
        float[] out = new float[t.shape().numel()];
        clEnqueueReadBuffer(queue, mem(t), CL_TRUE, 0, t.shape().bytes(), Pointer.to(out), 0, null, null);
        return out;
    }

    /** Bytes of released buffers currently kept for reuse. */
    public long pooledBytes() {
        return pool.pooledBytes();
    }

    /** The OpenCL memory object of a tensor of this device, for op implementations. */
    public cl_mem mem(Tensor t) {
        return ((ClBuffer) t.buffer()).mem();
    }

    @Override
    public void synchronize() {
        clFinish(queue);
    }

    @Override
    public Tensor conv2d(Tensor x, Tensor weight, Tensor bias, Conv2dParams params) {
        OpShapes.requireSameDevice("conv2d", this, x, weight, bias);
        return ClConv.conv2d(this, x, weight, bias, params);
    }

    @Override
    public Tensor conv2dFused(Tensor x, Tensor weight, Tensor bias, Conv2dParams params, Tensor residual,
                              boolean relu) {
        OpShapes.requireSameDevice("conv2dFused", this, x, weight, bias, residual);
        return ClConv.conv2dFused(this, x, weight, bias, params, residual, relu);
    }

    @Override
    public Tensor[] conv2dAddRelu(Tensor x, Tensor weight, Tensor bias, Conv2dParams params, Tensor residual) {
        OpShapes.requireSameDevice("conv2dAddRelu", this, x, weight, bias, residual);
        return ClConv.conv2dAddRelu(this, x, weight, bias, params, residual, ConvKernelParams.forDevice(info));
    }

    @Override
    public Tensor conv2dDivide(Tensor numerator, Tensor x, Tensor weight, Tensor bias, Conv2dParams params) {
        OpShapes.requireSameDevice("conv2dDivide", this, numerator, x, weight, bias);
        OpShapes.conv2dOperand("conv2dDivide", "numerator", x, weight, bias, params, numerator);
        return ClConv.conv2d(this, x, weight, params,
                new ClConv.Epilogue(bias, numerator, ClConv.Epilogue.Combine.DIVIDE, false),
                ConvKernelParams.forDevice(info));
    }

    @Override
    public Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        OpShapes.requireSameDevice("linear", this, x, weight, bias);
        return ClConv.linear(this, x, weight, bias);
    }

    @Override
    public Tensor maxPool2d(Tensor x, Pool2dParams params) {
        OpShapes.requireSameDevice("maxPool2d", this, x);
        return ClPooling.maxPool2d(this, x, params);
    }

    @Override
    public Tensor avgPool2d(Tensor x, Pool2dParams params, boolean countIncludePad) {
        OpShapes.requireSameDevice("avgPool2d", this, x);
        return ClPooling.avgPool2d(this, x, params, countIncludePad);
    }

    @Override
    public Tensor adaptiveAvgPool2d(Tensor x, int outH, int outW) {
        OpShapes.requireSameDevice("adaptiveAvgPool2d", this, x);
        return ClPooling.adaptiveAvgPool2d(this, x, outH, outW);
    }

    @Override
    public Tensor batchNorm(Tensor x, Tensor mean, Tensor var, Tensor gamma, Tensor beta, float eps) {
        OpShapes.requireSameDevice("batchNorm", this, x, mean, var, gamma, beta);
        return ClElementwise.batchNorm(this, x, mean, var, gamma, beta, eps);
    }

    @Override
    public Tensor relu(Tensor x) {
        OpShapes.requireSameDevice("relu", this, x);
        return ClElementwise.relu(this, x);
    }

    @Override
    public Tensor add(Tensor a, Tensor b) {
        OpShapes.requireSameDevice("add", this, a, b);
        return ClElementwise.add(this, a, b);
    }

    @Override
    public Tensor mul(Tensor a, Tensor b) {
        OpShapes.requireSameDevice("mul", this, a, b);
        return ClElementwise.mul(this, a, b);
    }

    @Override
    public Tensor div(Tensor a, Tensor b) {
        OpShapes.requireSameDevice("div", this, a, b);
        return ClElementwise.div(this, a, b);
    }

    @Override
    public Tensor addRelu(Tensor a, Tensor b) {
        OpShapes.requireSameDevice("addRelu", this, a, b);
        return ClElementwise.addRelu(this, a, b);
    }

    @Override
    public Tensor[] positiveShares(Tensor a, Tensor b, Tensor relevance, float step) {
        OpShapes.requireSameDevice("positiveShares", this, a, b, relevance);
        return ClElementwise.positiveShares(this, a, b, relevance, step);
    }

    @Override
    public Tensor positiveShare(Tensor mine, Tensor other, Tensor relevance, float step) {
        OpShapes.requireSameDevice("positiveShare", this, mine, other, relevance);
        return ClElementwise.positiveShare(this, mine, other, relevance, step);
    }

    @Override
    public Tensor abs(Tensor x) {
        OpShapes.requireSameDevice("abs", this, x);
        return ClElementwise.abs(this, x);
    }

    @Override
    public Tensor sign(Tensor x) {
        OpShapes.requireSameDevice("sign", this, x);
        return ClElementwise.sign(this, x);
    }

    @Override
    public Tensor scale(Tensor x, float factor) {
        OpShapes.requireSameDevice("scale", this, x);
        return ClElementwise.scale(this, x, factor);
    }

    @Override
    public Tensor exp(Tensor x) {
        OpShapes.requireSameDevice("exp", this, x);
        return ClElementwise.exp(this, x);
    }

    @Override
    public Tensor clamp(Tensor x, float min, float max) {
        OpShapes.requireSameDevice("clamp", this, x);
        return ClElementwise.clamp(this, x, min, max);
    }

    @Override
    public Tensor softmax(Tensor x, int axis) {
        OpShapes.requireSameDevice("softmax", this, x);
        return ClReductions.softmax(this, x, axis);
    }

    @Override
    public Tensor reduce(Tensor x, ReduceOp op, int[] axes, boolean keepDims) {
        OpShapes.requireSameDevice("reduce", this, x);
        return ClReductions.reduce(this, x, op, axes, keepDims);
    }

    @Override
    public Tensor concat(List<Tensor> tensors, int axis) {
        OpShapes.requireSameDevice("concat", this, tensors.toArray(new Tensor[0]));
        return ClLayout.concat(this, tensors, axis);
    }

    @Override
    public Tensor crop(Tensor x, int top, int left, int height, int width) {
        OpShapes.requireSameDevice("crop", this, x);
        return ClLayout.crop(this, x, top, left, height, width);
    }

    @Override
    public Tensor pad(Tensor x, int top, int bottom, int left, int right, float value) {
        OpShapes.requireSameDevice("pad", this, x);
        return ClLayout.pad(this, x, top, bottom, left, right, value);
    }

    @Override
    public Tensor resize(Tensor x, int outH, int outW, ResizeMode mode) {
        OpShapes.requireSameDevice("resize", this, x);
        return ClResampling.resize(this, x, outH, outW, mode);
    }

    @Override
    public Tensor gaussianBlur(Tensor x, int kernelSize, float sigma) {
        OpShapes.requireSameDevice("gaussianBlur", this, x);
        return ClResampling.gaussianBlur(this, x, kernelSize, sigma);
    }

    @Override
    public Tensor conv2dBackwardInput(Tensor gradOut, Tensor weight, Shape inputShape, Conv2dParams params) {
        OpShapes.requireSameDevice("conv2dBackwardInput", this, gradOut, weight);
        return ClConvBackward.conv2dBackwardInput(this, gradOut, weight, inputShape, params);
    }

    @Override
    public Tensor conv2dBackwardInputTimes(Tensor factor, Tensor gradOut, Tensor weight, Conv2dParams params) {
        OpShapes.requireSameDevice("conv2dBackwardInputTimes", this, factor, gradOut, weight);
        return ClConvBackward.conv2dBackwardInputTimes(this, factor, gradOut, weight, params, null);
    }

    @Override
    public Tensor conv2dBackwardInputTimesPlus(Tensor factor, Tensor gradOut, Tensor weight, Conv2dParams params,
                                               Tensor addend) {
        OpShapes.requireSameDevice("conv2dBackwardInputTimesPlus", this, factor, gradOut, weight, addend);
        OpShapes.sameShape("conv2dBackwardInputTimesPlus", "factor", factor, "addend", addend);
        return ClConvBackward.conv2dBackwardInputTimes(this, factor, gradOut, weight, params, addend);
    }

    @Override
    public Tensor conv2dBackwardWeight(Tensor gradOut, Tensor input, int kernelH, int kernelW, Conv2dParams params) {
        OpShapes.requireSameDevice("conv2dBackwardWeight", this, gradOut, input);
        return ClConvBackward.conv2dBackwardWeight(this, gradOut, input, kernelH, kernelW, params);
    }

    @Override
    public Tensor matmul(Tensor a, Tensor b, boolean transposeA, boolean transposeB) {
        OpShapes.requireSameDevice("matmul", this, a, b);
        return ClConvBackward.matmul(this, a, b, transposeA, transposeB);
    }

    @Override
    public Tensor maxPool2dBackward(Tensor gradOut, Tensor input, Pool2dParams params) {
        OpShapes.requireSameDevice("maxPool2dBackward", this, gradOut, input);
        return ClPoolingBackward.maxPool2dBackward(this, gradOut, input, params);
    }

    @Override
    public Tensor avgPool2dBackward(Tensor gradOut, Shape inputShape, Pool2dParams params, boolean countIncludePad) {
        OpShapes.requireSameDevice("avgPool2dBackward", this, gradOut);
        return ClPoolingBackward.avgPool2dBackward(this, gradOut, inputShape, params, countIncludePad);
    }

    @Override
    public Tensor adaptiveAvgPool2dBackward(Tensor gradOut, Shape inputShape) {
        OpShapes.requireSameDevice("adaptiveAvgPool2dBackward", this, gradOut);
        return ClPoolingBackward.adaptiveAvgPool2dBackward(this, gradOut, inputShape);
    }

    @Override
    public Tensor reluBackward(Tensor gradOut, Tensor output) {
        OpShapes.requireSameDevice("reluBackward", this, gradOut, output);
        return ClPointwiseBackward.reluBackward(this, gradOut, output);
    }

    @Override
    public Tensor clampBackward(Tensor gradOut, Tensor input, float min, float max) {
        OpShapes.requireSameDevice("clampBackward", this, gradOut, input);
        return ClPointwiseBackward.clampBackward(this, gradOut, input, min, max);
    }

    @Override
    public Tensor softmaxBackward(Tensor gradOut, Tensor output, int axis) {
        OpShapes.requireSameDevice("softmaxBackward", this, gradOut, output);
        return ClPointwiseBackward.softmaxBackward(this, gradOut, output, axis);
    }

    @Override
    public Tensor maxReduceBackward(Tensor gradOut, Tensor input, Tensor output, int[] axes) {
        OpShapes.requireSameDevice("maxReduceBackward", this, gradOut, input, output);
        return ClPointwiseBackward.maxReduceBackward(this, gradOut, input, output, axes);
    }

    @Override
    public Tensor resizeBackward(Tensor gradOut, Shape inputShape, ResizeMode mode) {
        OpShapes.requireSameDevice("resizeBackward", this, gradOut);
        return ClResamplingBackward.resizeBackward(this, gradOut, inputShape, mode);
    }

    @Override
    public Tensor gaussianBlurBackward(Tensor gradOut, int kernelSize, float sigma) {
        OpShapes.requireSameDevice("gaussianBlurBackward", this, gradOut);
        return ClResamplingBackward.gaussianBlurBackward(this, gradOut, kernelSize, sigma);
    }

    @Override
    public Tensor slice(Tensor x, int axis, int start, int length) {
        OpShapes.requireSameDevice("slice", this, x);
        return ClSlice.slice(this, x, axis, start, length);
    }

    @Override
    public void close() {
        clFinish(queue);
        programs.release();
        pool.clear();
        clReleaseCommandQueue(queue);
        clReleaseContext(context);
    }

    @Override
    public String toString() {
        return name();
    }
}
