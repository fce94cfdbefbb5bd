package io.ucag.runtime;

/**
 * Marks code whose results tolerate convolutions by a faster algorithm with a larger rounding error -- the OpenCL
 * device's Winograd F(4x4, 3x3) or F(6x6, 3x3), about ten times the direct convolution's error: the CAM family's
 * passes, forward passes that only score images. Methods that amplify rounding (the relevance and gradient families)
 * never open one, so they keep the direct convolution. Scopes nest and are confined to the thread that opened them,
 * like {@link TensorScope}:
 *
 * <pre>{@code
 * try (FastConvolutions fast = FastConvolutions.allow()) {
 *     Tensor logits = model.forward(images);
 * }
 * }</pre>
 *
 * <p>The system property {@code ucag.opencl.winograd} overrides the scopes: {@code true} everywhere, {@code false}
 * nowhere, {@code auto} (the default) inside them.
 */
public final class FastConvolutions implements AutoCloseable {
    private static final ThreadScopes SCOPES = new ThreadScopes("FastConvolutions");
    private final ThreadScopes.Scope scope = SCOPES.open();

    private FastConvolutions() {
    }

    /** Opens a scope on this thread (see the class comment). */
    public static FastConvolutions allow() {
        return new FastConvolutions();
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
