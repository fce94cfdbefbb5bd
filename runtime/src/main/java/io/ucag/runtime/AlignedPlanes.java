package io.ucag.runtime;

/**
 * Marks code whose convolutions may store their outputs with each (n, c) plane padded to a whole number of vectors:
 * a device's internal layout that no result can see (every other op reads such a tensor through a compact copy, and
 * {@link Tensor#toArray} returns its values in order). It pays where convolutions feed convolutions -- a 1x1
 * convolution reads its input one plane row of vectors per channel, and on 81x81 planes every one of those straddles
 * two cache lines -- and costs a copy wherever an element-wise op meets such a tensor. The CAM family's passes and
 * the LRP composites open one (measured faster for both); the other methods do not. Scopes nest and are confined to
 * the thread that opened them, like {@link FastConvolutions}.
 */
public final class AlignedPlanes implements AutoCloseable {
    private static final ThreadLocal<int[]> OPEN = ThreadLocal.withInitial(() -> new int[1]);
    private final Thread owner = Thread.currentThread();
    private boolean closed;

    private AlignedPlanes() {
        OPEN.get()[0]++;
    }

    /** Opens a scope in which this thread's convolutions may store padded planes. */
    public static AlignedPlanes allow() {
        return new AlignedPlanes();
    }

    /** True inside a scope opened by this thread. */
    public static boolean allowed() {
        return OPEN.get()[0] > 0;
    }

    @Override
    public void close() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("an AlignedPlanes scope must be closed by the thread that opened it");
        }
        if (!closed) {
            closed = true;
            OPEN.get()[0]--;
        }
    }
}
