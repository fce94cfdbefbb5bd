package io.ucag.runtime;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Closes, when it closes, every tensor created on this thread while it was the innermost open scope,
 * except those passed to {@link #keep}. It bounds memory in loops without a {@code close()} per
 * intermediate:
 *
 * <pre>{@code
 * try (TensorScope scope = TensorScope.open()) {
 *     Tensor y = device.relu(device.conv2d(x, w, b, p)); // the conv output is freed with the scope
 *     return scope.keep(y);                                // y outlives it
 * }
 * }</pre>
 *
 * Scopes nest and are confined to the thread that opened them.
 */
public final class TensorScope implements AutoCloseable {
    private static final ThreadLocal<Deque<TensorScope>> OPEN = ThreadLocal.withInitial(ArrayDeque::new);

    private final List<Tensor> tracked = new ArrayList<>();
    private final Thread owner = Thread.currentThread();
    private boolean closed;

    private TensorScope() {
    }

    public static TensorScope open() {
        TensorScope scope = new TensorScope();
        OPEN.get().push(scope);
        return scope;
    }

    static void track(Tensor t) {
        TensorScope scope = OPEN.get().peek();
        if (scope != null) {
            scope.tracked.add(t);
        }
    }

    /** Removes {@code t} from this scope so that it survives; it is handed to the enclosing scope, if any. */
    public Tensor keep(Tensor t) {
        if (!tracked.remove(t)) {
            throw new IllegalArgumentException(t + " does not belong to this scope");
        }
        boolean seenThis = false;
        for (TensorScope s : OPEN.get()) { // innermost first: the scope after this one encloses it
            if (seenThis) {
                s.tracked.add(t);
                break;
            }
            seenThis = s == this;
        }
        return t;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("a TensorScope must be closed by the thread that opened it");
        }
        Deque<TensorScope> stack = OPEN.get();
        if (stack.peek() != this) {
            throw new IllegalStateException("TensorScopes must be closed innermost first");
        }
        stack.pop();
        closed = true;
        for (int i = tracked.size() - 1; i >= 0; i--) {
            tracked.get(i).close();
        }
        tracked.clear();
    }
}
