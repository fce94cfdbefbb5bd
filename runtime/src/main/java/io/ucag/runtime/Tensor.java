package io.ucag.runtime;

/**
 * A dense float32 tensor, row-major (NCHW for images), living on one {@link Device}.
 *
 * <p>Tensors hold device memory and are released explicitly: {@link #close()} (try-with-resources), or
 * by the innermost {@link TensorScope} open on the creating thread when it closes. A closed tensor
 * throws on use. Tensors are not thread-safe; a device may be shared by threads (see {@link Device}).
 */
public final class Tensor implements AutoCloseable {
    private final Device device;
    private final Shape shape;
    private DeviceBuffer buffer; // null once closed

    /**
     * Wraps freshly allocated device memory. For device implementations; users create tensors through
     * {@link Device#fromArray} and ops.
     */
    public Tensor(Device device, Shape shape, DeviceBuffer buffer) {
        this(device, shape, buffer, true);
    }

    private Tensor(Device device, Shape shape, DeviceBuffer buffer, boolean tracked) {
        if (buffer.floats() < shape.numel()) {
            throw new IllegalArgumentException("buffer of " + buffer.floats() + " floats is too small for " + shape);
        }
        this.device = device;
        this.shape = shape;
        this.buffer = buffer;
        if (tracked) {
            TensorScope.track(this);
        }
    }

    public Shape shape() {
        return shape;
    }

    public Device device() {
        return device;
    }

    /** The device memory; throws if the tensor was closed. */
    public DeviceBuffer buffer() {
        if (buffer == null) {
            throw new IllegalStateException("tensor " + shape + " was already closed");
        }
        return buffer;
    }

    public boolean isClosed() {
        return buffer == null;
    }

    /** Copies the values to a new Java array (a device-to-host transfer on OpenCL). */
    public float[] toArray() {
        return device.toArray(this);
    }

    /** A tensor of another shape with the same element count sharing this memory (no copy). */
    public Tensor reshape(Shape newShape) {
        if (newShape.numel() != shape.numel()) {
            throw new IllegalArgumentException("reshape: " + shape + " has " + shape.numel()
                    + " elements, " + newShape + " has " + newShape.numel());
        }
        DeviceBuffer b = buffer();
        b.retain();
        return new Tensor(device, newShape, b);
    }

    /**
     * Another handle to the same memory that no {@link TensorScope} tracks: it stays valid until closed by
     * whoever took it (autograd keeps the tensors that backward needs this way).
     */
    public Tensor share() {
        DeviceBuffer b = buffer();
        b.retain();
        return new Tensor(device, shape, b, false);
    }

    /**
     * A tensor computed from this one's contents, made by {@code make} on the first call for {@code key} and kept
     * with this tensor's memory until it is freed (a model's clamped or transformed weights, made once instead of on
     * every pass). Sound because a tensor's contents never change after it is made. The result is tracked like an
     * op's result; {@code make}'s result is taken over (not to be closed by the caller).
     */
    public Tensor derived(String key, java.util.function.Supplier<Tensor> make) {
        try (Tensor kept = buffer().derived(shape + " " + key, make)) {
            return kept.reshape(kept.shape());
        }
    }

    /** Shorthand for {@code reshape(Shape.of(dims))}. */
    public Tensor reshape(int... dims) {
        return reshape(Shape.of(dims));
    }

    /** Releases this tensor's hold on the device memory; idempotent. */
    @Override
    public void close() {
        if (buffer != null) {
            DeviceBuffer b = buffer;
            buffer = null;
            b.release();
        }
    }

    @Override
    public String toString() {
        return "Tensor" + shape + "@" + device.name() + (buffer == null ? " (closed)" : "");
    }
}
