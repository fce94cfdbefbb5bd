package io.ucag.kernels.opencl;

import static org.jocl.CL.clEnqueueNDRangeKernel;
import static org.jocl.CL.clSetKernelArg;

import io.ucag.runtime.Tensor;
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

    private final cl_kernel kernel;
    private final cl_command_queue queue;
    private final String name;

    ClKernel(cl_kernel kernel, cl_command_queue queue, String name) {
        this.kernel = kernel;
        this.queue = queue;
        this.name = name;
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
        try {
            for (int i = 0; i < args.length; i++) {
                setArg(i, args[i]);
            }
            clEnqueueNDRangeKernel(queue, kernel, global.length, null, global, local, 0, null, null);
        } catch (CLException e) {
            throw new IllegalStateException("opencl: kernel " + name + " failed to launch over "
                    + java.util.Arrays.toString(global) + ": " + e.getMessage(), e);
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
            throw new IllegalArgumentException("opencl: kernel " + name + " argument " + index + " has unsupported type "
                    + (arg == null ? "null" : arg.getClass().getSimpleName()));
        }
    }
}
