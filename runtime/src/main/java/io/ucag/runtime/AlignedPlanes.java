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
    private static final ThreadScopes SCOPES = new ThreadScopes("AlignedPlanes");
    private final ThreadScopes.Scope scope = SCOPES.open();

    private AlignedPlanes() {
    }

    /** Opens a scope on this thread (see the class comment). */
    public static AlignedPlanes allow() {
        return new AlignedPlanes();
    }

    /** True inside a scope opened by this thread. */
    public static boolean allowed() {
        return SCOPES.anyOpen();
    }

    @Override
    public void close() {
        scope.close();
    }
}
