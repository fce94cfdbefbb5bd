package io.ucag.kernels.opencl;

import static org.jocl.CL.clReleaseMemObject;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.jocl.cl_mem;

/**
 * Keeps released device buffers of 1 MiB and more for reuse by later allocations of the same size. On a CPU
 * device every fresh large allocation is fresh pages that fault on first touch (about 30-45 ms of CPU for a 51 MB
 * activation); a forward pass allocates the same sizes layer after layer, image after image. Reuse is safe on
 * the device's single in-order queue: commands queued later on a recycled buffer run after those that used it
 * before. The pool holds at most {@code capacityBytes}; beyond that buffers are released at once, so a long run
 * does not grow.
 */
final class ClBufferPool {
    static final long MIN_POOLED_BYTES = 1 << 20;

    private final long capacityBytes;
    private final Map<Long, ArrayDeque<cl_mem>> free = new HashMap<>(); // bytes -> idle buffers of that size
    private long pooledBytes;

    private long lentBytes; // held by live tensors

    ClBufferPool(long capacityBytes) {
        this.capacityBytes = capacityBytes;
    }

    /** An idle buffer of exactly {@code bytes}, or null. */
    synchronized cl_mem take(long bytes) {
        ArrayDeque<cl_mem> idle = free.get(bytes);
        if (idle == null || idle.isEmpty()) {
            return null;
        }
        pooledBytes -= bytes;
        return idle.pop();
    }

    /** Counts {@code bytes} handed to a tensor, until {@link #recycle} takes them back. */
    synchronized void lend(long bytes) {
        lentBytes += bytes;
    }

    synchronized long lentBytes() {
        return lentBytes;
    }

    /** Takes a released buffer back for reuse, or releases it if it is small or the pool is full. */
    synchronized void recycle(cl_mem mem, long bytes) {
        lentBytes -= bytes;
        if (bytes < MIN_POOLED_BYTES || pooledBytes + bytes > capacityBytes) {
            clReleaseMemObject(mem);
            return;
        }
        free.computeIfAbsent(bytes, b -> new ArrayDeque<>()).push(mem);
        pooledBytes += bytes;
    }

    synchronized long pooledBytes() {
        return pooledBytes;
    }

    /** Releases every idle buffer. */
    synchronized void clear() {
        free.values().forEach(q -> q.forEach(m -> clReleaseMemObject(m)));
        free.clear();
        pooledBytes = 0;
    }
}
