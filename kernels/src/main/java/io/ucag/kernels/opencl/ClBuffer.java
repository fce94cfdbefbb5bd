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
    private final long bytes;        // of mem: at least the floats (ClBufferPool.SLACK)
    private final int planeSize;     // values per (n, c) plane, or 0 for a dense buffer
    private final int planeStride;   // floats from one plane to the next (a whole number of vectors)

    ClBuffer(cl_mem mem, long bytes, long floats, ClBufferPool pool) {
        this(mem, bytes, floats, pool, 0, 0);
    }

    /**
     * {@code floats} values in {@code mem} of {@code bytes}, in planes of {@code planeSize} values, each starting
     * {@code planeStride} floats after the last (0, 0: dense).
     */
    ClBuffer(cl_mem mem, long bytes, long floats, ClBufferPool pool, int planeSize, int planeStride) {
        super(floats);
        this.mem = mem;
        this.bytes = bytes;
        this.pool = pool;
        this.planeSize = planeSize;
        this.planeStride = planeStride;
    }

    public cl_mem mem() {
        return mem;
    }

    /** True when planes are padded ({@link io.ucag.runtime.AlignedPlanes}): only plane-aware kernels read it. */
    boolean padded() {
        return planeSize > 0;
    }

    int planeSize() {
        return planeSize;
    }

    int planeStride() {
        return planeStride;
    }

    @Override
    protected void free() {
        pool.recycle(mem, bytes);
    }
}
