package io.ucag.runtime;

/**
 * Memory owned by a device (a Java array, an OpenCL {@code cl_mem}), reference counted so that views
 * such as {@link Tensor#reshape} can share it. The last {@link #release()} frees it at once.
 */
public abstract class DeviceBuffer {
    private final long floats;
    private int references = 1;

    protected DeviceBuffer(long floats) {
        this.floats = floats;
    }

    /** Capacity in float32 elements. */
    public final long floats() {
        return floats;
    }

    final synchronized void retain() {
        if (references == 0) {
            throw new IllegalStateException("buffer already released");
        }
        references++;
    }

    /** Drops one reference; frees the memory when none is left. Releasing a freed buffer is an error. */
    final void release() {
        boolean last;
        synchronized (this) {
            if (references == 0) {
                throw new IllegalStateException("buffer already released");
            }
            last = --references == 0;
        }
        if (last) {
            free();
        }
    }

    final synchronized boolean isReleased() {
        return references == 0;
    }

    /** Frees the device memory; called exactly once. */
    protected abstract void free();
}
