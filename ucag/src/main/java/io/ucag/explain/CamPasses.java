package io.ucag.explain;

import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A memo of the CAM family's forward/backward passes, so that several CAM methods explaining the same images at
 * the same layer for the same targets (GradCAM, GradCAM++, XGradCAM, LayerCAM side by side in {@code evaluate},
 * each also under UCAG) run the network once instead of once per method. Every CAM method is a function of the
 * layer's activations and gradients, so sharing them changes no value.
 *
 * <p>Entries are matched on the exact input values (compared element by element, not by a hash), the layer and
 * the targets. At most {@code capacity} entries are kept, least recently used first out; each holds the layer's
 * activations and gradients on the device. Not thread-safe: one memo per thread. {@link #close()} (or
 * {@link #clear()}) releases what it holds.
 */
public final class CamPasses implements AutoCloseable {
    /** One pass: the layer's activations A and gradients dy/dA (both (N,C,h,w)) and the logits, on the device. */
    record Pass(Tensor activations, Tensor gradients, Tensor logits) implements AutoCloseable {
        Pass share() {
            return new Pass(activations.share(), gradients.share(), logits.share());
        }

        @Override
        public void close() {
            activations.close();
            gradients.close();
            logits.close();
        }
    }

    private record Key(String layer, Shape shape, float[] images, int[] targets) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && layer.equals(k.layer) && shape.equals(k.shape)
                    && Arrays.equals(targets, k.targets) && Arrays.equals(images, k.images);
        }

        @Override
        public int hashCode() {
            return Objects.hash(layer, shape, Arrays.hashCode(targets), Arrays.hashCode(images));
        }
    }

    private final int capacity;
    private final LinkedHashMap<Key, Pass> entries = new LinkedHashMap<>(16, 0.75f, true);

    /** A memo of at most {@code capacity} passes (UCAG's micro-batches of one image plus the whole image fit 8). */
    public CamPasses(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        this.capacity = capacity;
    }

    /** Passes held now. */
    public int size() {
        return entries.size();
    }

    static Object key(String layer, Tensor images, int[] targets) {
        return new Key(layer, images.shape(), images.toArray(), targets.clone());
    }

    /** A new handle on the remembered pass for {@code key} (the caller closes it), or null. */
    Pass find(Object key) {
        Pass p = entries.get((Key) key);
        return p == null ? null : p.share();
    }

    /** Remembers a new handle on {@code pass} under {@code key}, dropping the least recently used beyond capacity. */
    void remember(Object key, Pass pass) {
        Pass old = entries.put((Key) key, pass.share());
        if (old != null) {
            old.close();
        }
        Iterator<Map.Entry<Key, Pass>> oldest = entries.entrySet().iterator();
        while (entries.size() > capacity) {
            oldest.next().getValue().close();
            oldest.remove();
        }
    }

    /** Releases every remembered pass. */
    public void clear() {
        entries.values().forEach(Pass::close);
        entries.clear();
    }

    @Override
    public void close() {
        clear();
    }
}
