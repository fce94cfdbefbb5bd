package io.ucag.kernels.opencl;

import io.ucag.runtime.DeviceBuffer;
import org.jocl.cl_mem;

/**
 * Device memory of the OpenCL backend. Releasing it while kernels that use it are still queued is safe: the
 * memory is either kept for reuse by later commands of the same in-order queue ({@link ClBufferPool}) or freed by
 * OpenCL once those commands have finished.
 */
public final class ClBuffer extends DeviceBuffer {
    private final cl_mem mem;
    private final ClBufferPool pool; // where the memory goes when released

    ClBuffer(cl_mem mem, long floats, ClBufferPool pool) {
        super(floats);
        this.mem = mem;
        this.pool = pool;
    }

    public cl_mem mem() {
        return mem;
    }

    @Override
    protected void free() {
        pool.recycle(mem, floats() * Float.BYTES);
    }
}
