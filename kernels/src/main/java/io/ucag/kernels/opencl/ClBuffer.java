package io.ucag.kernels.opencl;

import static org.jocl.CL.clReleaseMemObject;

import io.ucag.runtime.DeviceBuffer;
import org.jocl.cl_mem;

/**
 * Device memory of the OpenCL backend. Releasing it while kernels that use it are still queued is safe:
 * OpenCL frees the memory once those commands have finished.
 */
public final class ClBuffer extends DeviceBuffer {
    private final cl_mem mem;

    ClBuffer(cl_mem mem, long floats) {
        super(floats);
        this.mem = mem;
    }

    public cl_mem mem() {
        return mem;
    }

    @Override
    protected void free() {
        clReleaseMemObject(mem);
    }
}
