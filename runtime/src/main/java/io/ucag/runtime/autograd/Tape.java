package io.ucag.runtime.autograd;

import io.ucag.runtime.Device;
import io.ucag.runtime.OpShapes;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reverse-mode automatic differentiation: the bookkeeping half; {@link RecordingDevice} is the op table. Ops whose inputs
 * require a gradient -- a tensor passed to {@link #watch}, or the output of a recorded op -- are recorded with
 * the tensors their derivative needs; everything else runs as plain inference and costs nothing. So watching
 * only a layer's activation (GradCAM) records nothing below that layer: backward stops there by construction.
 *
 * <p>{@link #backward} walks the records once in reverse, releasing each record's saved tensors as soon as it
 * has been used, and then forgets the whole recording. Not thread-safe: one tape per thread.
 */
public final class Tape implements AutoCloseable {
    /** The gradients of one record's inputs given the gradient of its output; null where none is needed. */
    @FunctionalInterface
    interface Derivative {
        Tensor[] apply(Tensor gradOut);
    }

    private record Node(Tensor output, Tensor[] inputs, List<Tensor> saved, Derivative derivative) {
        void release() {
            saved.forEach(Tensor::close);
        }
    }

    private final Map<Tensor, Node> producers = new IdentityHashMap<>(); // recorded output -> its record
    private final Set<Tensor> watched = Collections.newSetFromMap(new IdentityHashMap<>());
    private final List<Node> nodes = new ArrayList<>(); // execution order = a topological order
    private int pauses;

    /** Marks {@code t} as requiring a gradient (an input, a weight, or an intermediate activation). */
    public Tensor watch(Tensor t) {
        watched.add(t);
        return t;
    }

    /** True if ops on {@code t} are recorded: it is watched or computed from a watched tensor. */
    public boolean requiresGrad(Tensor t) {
        return t != null && (watched.contains(t) || producers.containsKey(t));
    }

    /** Suspends recording until the returned handle is closed (nests). */
    public AutoCloseable noGrad() {
        pauses++;
        return new AutoCloseable() {
            private boolean closed;

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    pauses--;
                }
            }
        };
    }

    boolean isRecording(Tensor... inputs) {
        if (pauses > 0) {
            return false;
        }
        for (Tensor t : inputs) {
            if (requiresGrad(t)) {
                return true;
            }
        }
        return false;
    }

    /** A handle on {@code t} kept until its record is consumed (see {@link Tensor#share}). */
    static Tensor save(List<Tensor> saved, Tensor t) {
        Tensor s = t.share();
        saved.add(s);
        return s;
    }

    void record(Tensor output, Tensor[] inputs, List<Tensor> saved, Derivative derivative) {
        Node node = new Node(output, inputs, saved, derivative);
        nodes.add(node);
        producers.put(output, node);
    }

    /**
     * Back-propagates {@code seed} (the gradient of some scalar with respect to {@code output}, same shape) and
     * returns the gradient of every watched tensor. Consumes the recording: the tape is empty afterwards.
     */
    public Gradients backward(Tensor output, Tensor seed) {
        if (!requiresGrad(output)) {
            throw new IllegalArgumentException("backward: " + output + " was not computed from any watched tensor "
                    + "on this tape; call tape.watch(...) on an input, weight or activation before the ops");
        }
        if (!seed.shape().equals(output.shape())) {
            throw OpShapes.error("backward", "seed " + seed.shape() + " must have the output's shape "
                    + output.shape());
        }
        Map<Tensor, Tensor> pending = new IdentityHashMap<>(); // tensor -> gradient accumulated so far
        Map<Tensor, Tensor> results = new IdentityHashMap<>();
        pending.put(output, seed.share());
        try {
            for (int i = nodes.size() - 1; i >= 0; i--) {
                Node node = nodes.get(i);
                Tensor gradOut = pending.remove(node.output());
                try {
                    if (gradOut != null) {
                        if (watched.contains(node.output())) {
                            results.put(node.output(), gradOut.share());
                        }
                        propagate(node, gradOut, pending);
                    }
                } finally {
                    if (gradOut != null) {
                        gradOut.close();
                    }
                    node.release();
                }
            }
            for (Tensor w : watched) {
                if (!producers.containsKey(w)) {
                    Tensor g = pending.remove(w);
                    results.put(w, g != null ? g : own(w.device().zeros(w.shape())));
                } else if (!results.containsKey(w)) {
                    results.put(w, own(w.device().zeros(w.shape()))); // the output does not depend on it
                }
            }
            return new Gradients(results);
        } catch (RuntimeException e) {
            results.values().forEach(Tensor::close);
            throw e;
        } finally {
            pending.values().forEach(Tensor::close);
            reset();
        }
    }

    private void propagate(Node node, Tensor gradOut, Map<Tensor, Tensor> pending) {
        Tensor[] grads = node.derivative().apply(gradOut);
        for (int j = 0; j < node.inputs().length; j++) {
            Tensor input = node.inputs()[j];
            Tensor g = grads[j];
            if (g == null) {
                continue;
            }
            if (!requiresGrad(input)) {
                g.close();
                continue;
            }
            Tensor before = pending.get(input);
            if (before == null) {
                pending.put(input, own(g));
            } else { // the input feeds several ops (a residual connection): gradients add up
                pending.put(input, own(g.device().add(before, g)));
                before.close();
                g.close();
            }
        }
    }

    /** An untracked handle replacing {@code t}, so that no TensorScope closes gradients the tape still owns. */
    private static Tensor own(Tensor t) {
        Tensor s = t.share();
        t.close();
        return s;
    }

    /** A device that runs ops on {@code base} and records them on this tape. */
    public Device on(Device base) {
        return new RecordingDevice(base, this);
    }

    private void reset() {
        nodes.forEach(Node::release);
        nodes.clear();
        producers.clear();
        watched.clear();
    }

    /** Drops the recording and releases what it saved. */
    @Override
    public void close() {
        reset();
    }
}
