package io.ucag.kernels.opencl;

import static org.jocl.CL.clReleaseMemObject;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeMap;
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
    /**
     * A request may take an idle buffer up to 1/16 larger than it: a tensor with padded planes
     * (ClDevice.allocatePlanes: at most 63 floats more per plane, 5.8% at 11x11) and its dense twin then share
     * buffers. Each buffer freed and made again is memory the C allocator keeps after the free: LRP alpha1-beta0 +
     * UCAG (4 images) freed 357 buffers and peaked at 3.36 GB resident with exact sizes, 134 and 2.75 GB with this
     * slack, for 1.7 GB of live tensors.
     */
    static final int SLACK = 16;

    /** An idle buffer handed out again, of {@code bytes} (at least the request). */
    record Reused(cl_mem mem, long bytes) {
    }

    private final long capacityBytes;
    private final TreeMap<Long, ArrayDeque<cl_mem>> free = new TreeMap<>(); // bytes -> idle buffers of that size
    private long pooledBytes;

    private long lentBytes; // held by live tensors

    ClBufferPool(long capacityBytes) {
        this.capacityBytes = capacityBytes;
    }

    /** The smallest idle buffer of {@code bytes} to {@code bytes + bytes / SLACK}, or null. */
    synchronized Reused take(long bytes) {
        Map.Entry<Long, ArrayDeque<cl_mem>> idle = free.ceilingEntry(bytes);
        if (idle == null || idle.getKey() > bytes + bytes / SLACK) {
            return null;
        }
        long size = idle.getKey();
        cl_mem mem = idle.getValue().pop();
        if (idle.getValue().isEmpty()) {
            free.remove(size);
        }
        pooledBytes -= size;
        return new Reused(mem, size);
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
