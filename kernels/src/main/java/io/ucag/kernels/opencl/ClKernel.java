package io.ucag.kernels.opencl;

import static org.jocl.CL.clEnqueueNDRangeKernel;
import static org.jocl.CL.clSetKernelArg;

import io.ucag.runtime.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_kernel;

/**
 * One compiled kernel of a cached program. {@link #launch} sets the arguments and queues the kernel
 * atomically (kernel objects hold their arguments, so launches on one kernel are serialised).
 */
public final class ClKernel {
    /** A {@code __local} memory argument of the given size in bytes. */
    public record Local(long bytes) {
    }

    /** Makes a compact copy of a tensor whose planes are padded ({@link ClBuffer#padded}). */
    interface PlaneCompactor {
        Tensor compact(Tensor padded);
    }

    /**
     * Kernels that take each tensor's plane stride as an argument and so read (and write) padded planes; every other
     * kernel is given a compact copy of a padded argument, made just before it is queued.
     */
    private static final Set<String> PLANE_AWARE = Set.of("conv2d", "conv2d_tiled", "stage_input", "winograd_input",
            "winograd_output", "compact_planes", "planes_relu", "planes_add", "planes_positive_shares", "max_pool2d",
            "max_pool2d_arg_max", "max_pool2d_backward", "stride_scatter", "conv2d_backward_input_few_channels",
            "conv2d_backward_input_few_channels_s2");

    private final cl_kernel kernel;
    private final cl_command_queue queue;
    private final String name;
    private final PlaneCompactor compactor;

    ClKernel(cl_kernel kernel, cl_command_queue queue, String name, PlaneCompactor compactor) {
        this.kernel = kernel;
        this.queue = queue;
        this.name = name;
        this.compactor = compactor;
    }

    public String name() {
        return name;
    }

    /**
     * Queues the kernel over {@code global} work items (1 to 3 dimensions); {@code local} is the work-group
     * size or null to let the driver choose. Arguments: {@link Tensor} (its buffer), Integer, Float, Long or
     * {@link Local}. Does not wait for completion.
     */
    public synchronized void launch(long[] global, long[] local, Object... args) {
        for (long g : global) {
            if (g < 1) {
                return; // nothing to compute; OpenCL rejects empty ranges
            }
        }
        List<Tensor> copies = null; // compact copies of padded arguments, made only where there are any
        try {
            for (int i = 0; i < args.length; i++) {
                Object arg = args[i];
                if (arg instanceof Tensor t && ((ClBuffer) t.buffer()).padded() && !PLANE_AWARE.contains(name)) {
                    Tensor copy = compactor.compact(t);
                    if (copies == null) {
                        copies = new ArrayList<>();
                    }
                    copies.add(copy);
                    arg = copy;
                }
                setArg(i, arg);
            }
            clEnqueueNDRangeKernel(queue, kernel, global.length, null, global, local, 0, null, null);
        } catch (CLException e) {
            throw new IllegalStateException("opencl: kernel " + name + " failed to launch over "
                    + java.util.Arrays.toString(global) + ": " + e.getMessage(), e);
        } finally {
            if (copies != null) {
                copies.forEach(Tensor::close); // safe while queued (ClBuffer)
            }
        }
    }

    private void setArg(int index, Object arg) {
        if (arg instanceof Tensor t) {
            clSetKernelArg(kernel, index, Sizeof.cl_mem, Pointer.to(((ClBuffer) t.buffer()).mem()));
        } else if (arg instanceof Integer v) {
            clSetKernelArg(kernel, index, Sizeof.cl_int, Pointer.to(new int[] {v}));
        } else if (arg instanceof Float v) {
            clSetKernelArg(kernel, index, Sizeof.cl_float, Pointer.to(new float[] {v}));
        } else if (arg instanceof Long v) {
            clSetKernelArg(kernel, index, Sizeof.cl_long, Pointer.to(new long[] {v}));
        } else if (arg instanceof Local l) {
            clSetKernelArg(kernel, index, l.bytes(), null);
        } else {
            throw new IllegalArgumentException("opencl: kernel " + name + " argument " + index
                    + " has unsupported type "
                    + (arg == null ? "null" : arg.getClass().getSimpleName()));
        }
    }
}
