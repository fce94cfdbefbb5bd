package io.ucag.runtime;

/**
 * A per-thread count of the open scopes of one kind ({@link FastConvolutions}, {@link AlignedPlanes}): scopes nest,
 * and each must be closed by the thread that opened it.
 */
final class ThreadScopes {
    private final ThreadLocal<int[]> open = ThreadLocal.withInitial(() -> new int[1]);
    private final String kind;

    ThreadScopes(String kind) {
        this.kind = kind;
    }

    /** True while this thread has a scope of this kind open. */
    boolean anyOpen() {
        return open.get()[0] > 0;
    }

    /** Opens a scope on this thread. */
    Scope open() {
        return new Scope();
    }

    /** One open scope; closing it twice is a no-op. */
    final class Scope {
        private final Thread owner = Thread.currentThread();
        private boolean closed;

        private Scope() {
            open.get()[0]++;
        }

        void close() {
            if (Thread.currentThread() != owner) {
                throw new IllegalStateException("a " + kind + " scope must be closed by the thread that opened it");
            }
            if (!closed) {
                closed = true;
                open.get()[0]--;
            }
        }
    }
}
