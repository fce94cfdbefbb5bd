package io.ucag.kernels.opencl;

import io.ucag.runtime.DeviceBuffer;
import io.ucag.runtime.Tensor;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.jocl.cl_mem;

/**
 * Device memory of the OpenCL backend. Releasing it while kernels that use it are still queued is safe: the
 * memory is either kept for reuse by later commands of the same in-order queue ({@link ClBufferPool}) or freed by
 * OpenCL once those commands have finished.
 */
public final class ClBuffer extends DeviceBuffer {
    private final cl_mem mem;
    private final ClBufferPool pool; // where the memory goes when released
    private final Map<String, Tensor> derived = new HashMap<>(); // freed with this buffer

    ClBuffer(cl_mem mem, long floats, ClBufferPool pool) {
        super(floats);
        this.mem = mem;
        this.pool = pool;
    }

    public cl_mem mem() {
        return mem;
    }

    /**
     * A tensor computed from this buffer's contents (e.g. a transformed convolution weight), made by {@code make}
     * on the first call for {@code key} and kept until this buffer is freed: sound because a tensor's contents
     * never change after it is made. The caller closes the returned handle.
     */
    synchronized Tensor derived(String key, Supplier<Tensor> make) {
        Tensor kept = derived.get(key);
        if (kept != null) {
            return kept.share();
        }
        Tensor made = make.get();
        derived.put(key, made.share());
        return made;
    }

    @Override
    protected void free() {
        synchronized (this) {
            derived.values().forEach(Tensor::close);
            derived.clear();
        }
        pool.recycle(mem, floats() * Float.BYTES);
    }
}
