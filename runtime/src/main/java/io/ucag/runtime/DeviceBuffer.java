package io.ucag.runtime;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Memory owned by a device (a Java array, an OpenCL {@code cl_mem}), reference counted so that views
 * such as {@link Tensor#reshape} can share it. The last {@link #release()} frees it at once.
 */
public abstract class DeviceBuffer {
    private final long floats;
    private int references = 1;
    private final Map<String, Tensor> derived = new HashMap<>(); // closed when this buffer is freed

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
            closeDerived();
            free();
        }
    }

    /**
     * A tensor computed from this buffer's contents (a transformed or clamped weight), made by {@code make} on the
     * first call for {@code key} and kept until this buffer is freed: sound because a tensor's contents never change
     * after it is made. Returns an untracked handle that the caller closes ({@link Tensor#derived} wraps this).
     */
    public final Tensor derived(String key, Supplier<Tensor> make) {
        synchronized (derived) {
            Tensor kept = derived.get(key);
            if (kept != null) {
                return kept.share();
            }
        }
        Tensor made = make.get(); // outside the lock: make may derive from other buffers
        synchronized (derived) {
            Tensor raced = derived.putIfAbsent(key, made.share());
            if (raced != null) {
                made.close();
                return raced.share();
            }
        }
        try (made) { // the caller's handle is untracked like a kept one, whatever scope made it
            return made.share();
        }
    }

    private void closeDerived() {
        synchronized (derived) {
            derived.values().forEach(Tensor::close);
            derived.clear();
        }
    }

    final synchronized boolean isReleased() {
        return references == 0;
    }

    /** Frees the device memory; called exactly once. */
    protected abstract void free();
}
