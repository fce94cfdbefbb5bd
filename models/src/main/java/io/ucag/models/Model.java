package io.ucag.models;

import io.ucag.models.layers.Layer;
import io.ucag.models.layers.Layers;
import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A network bound to weights on one device. Immutable once loaded; {@link #forward} may run on any device
 * that wraps the model's device (such as an autograd recording device). {@link #close()} frees the weights.
 * Thread safety: concurrent forwards are safe when the device is.
 */
public final class Model implements AutoCloseable {
    private final ModelSpec spec;
    private final Device device;
    private final Map<String, Tensor> parameters; // state_dict name -> tensor on device
    private final Map<String, FusedConv> fused;    // conv name -> its weights with the next batch norm folded in
    private final boolean ownsParameters;          // false for a view made by on()

    private Model(ModelSpec spec, Device device, Map<String, Tensor> parameters, Map<String, FusedConv> fused,
                  boolean ownsParameters) {
        this.spec = spec;
        this.device = device;
        this.parameters = parameters;
        this.fused = fused;
        this.ownsParameters = ownsParameters;
    }

    /**
     * Checks that {@code source} holds exactly the parameters of {@code spec} with the right shapes and finite
     * values, then copies them to {@code device}. Any mismatch is one error naming the tensor and both shapes;
     * nothing is uploaded unless everything checks out.
     */
    public static Model load(ModelSpec spec, Parameters source, Device device) {
        Map<String, int[]> expected = Layers.parameterShapes(spec.root());
        TreeSet<String> missing = new TreeSet<>(expected.keySet());
        missing.removeAll(source.names());
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(spec.architecture() + ": the weights lack " + missing.size()
                    + " tensor(s), e.g. '" + missing.first() + "' " + Shape.of(expected.get(missing.first()))
                    + ": are they for another architecture?");
        }
        TreeSet<String> extra = new TreeSet<>(source.names());
        extra.removeAll(expected.keySet());
        extra.removeIf(n -> n.endsWith(".num_batches_tracked")); // a counter torch saves, unused at inference
        if (!extra.isEmpty()) {
            throw new IllegalArgumentException(spec.architecture() + ": the weights hold " + extra.size()
                    + " unexpected tensor(s), e.g. '" + extra.first() + "': are they for another architecture?");
        }
        for (Map.Entry<String, int[]> e : expected.entrySet()) {
            int[] found = source.shape(e.getKey());
            if (!Arrays.equals(found, e.getValue())) {
                throw new IllegalArgumentException(spec.architecture() + ": tensor '" + e.getKey() + "': expected shape "
                        + Shape.of(e.getValue()) + ", found " + shapeText(found));
            }
            float[] values = source.data(e.getKey());
            for (int i = 0; i < values.length; i++) {
                if (!Float.isFinite(values[i])) {
                    throw new IllegalArgumentException(spec.architecture() + ": tensor '" + e.getKey() + "' holds "
                            + values[i] + " at index " + i + ": the weights are corrupt");
                }
            }
        }
        Map<String, Tensor> uploaded = new LinkedHashMap<>();
        Map<String, FusedConv> fused = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, int[]> e : expected.entrySet()) {
                uploaded.put(e.getKey(), untracked(device.fromArray(Shape.of(e.getValue()), source.data(e.getKey()))));
            }
            Layers.convolutionsBeforeBatchNorms(spec.root()).forEach((bn, conv) ->
                    fused.put(conv.name(), FusedConv.fold(conv, (Layer.BatchNorm2d) Layers.find(spec.root(), bn)
                            .orElseThrow(), source, device)));
        } catch (RuntimeException ex) {
            uploaded.values().forEach(Tensor::close);
            fused.values().forEach(FusedConv::close);
            throw ex;
        }
        return new Model(spec, device, uploaded, fused, true);
    }

    /** An untracked handle on {@code t}: no TensorScope may free weights. */
    static Tensor untracked(Tensor t) {
        Tensor handle = t.share();
        t.close();
        return handle;
    }

    /** {@code (a,b,c)} like {@link Shape}, also for shapes a Shape cannot hold (rank 0, zero dimensions). */
    private static String shapeText(int[] dims) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) {
            sb.append(i == 0 ? "" : ",").append(dims[i]);
        }
        return sb.append(')').toString();
    }

    public ModelSpec spec() {
        return spec;
    }

    public Device device() {
        return device;
    }

    /** The tensor of a state_dict parameter, e.g. {@code layer1.0.conv1.weight}. */
    public Tensor parameter(String name) {
        Tensor t = parameters.get(name);
        if (t == null) {
            throw new IllegalArgumentException(spec.architecture() + " has no parameter '" + name + "'");
        }
        return t;
    }

    /**
     * The weight (O,C,kh,kw) and bias (O) of convolution {@code conv} with the batch norm right after it folded in
     * (computed once at load), or empty when no batch norm follows it. Owned by the model: do not close.
     */
    public Optional<Tensor[]> foldedConvolution(String conv) {
        FusedConv f = fused.get(conv);
        return f == null ? Optional.empty() : Optional.of(new Tensor[] {f.weight(), f.bias()});
    }

    /** Logits (N, classes) of a preprocessed batch (N, 3, H, W) on {@code d} (the model's device or a wrapper). */
    public Tensor forward(Device d, Tensor input, ActivationHook hook) {
        return new ForwardPass(d, this::parameter, fused::get, hook).run(spec.root(), input);
    }

    /** {@link #forward} on the model's own device with no hook. */
    public Tensor forward(Tensor input) {
        return forward(device, input, ActivationHook.NONE);
    }

    /** The layer called {@code name}, or an error listing a few valid names. */
    public Layer layer(String name) {
        return Layers.find(spec.root(), name).orElseThrow(() -> new IllegalArgumentException(
                spec.architecture() + " has no layer '" + name + "'; e.g. " + spec.defaultCamLayer()
                        + ", or see `ucag layers --model " + spec.architecture() + "`"));
    }

    /**
     * A view of this model whose {@link #device()} is {@code wrapper}, a device that wraps this model's device
     * (a profiler, a recorder) and so can use its weights. Closing the view frees nothing; close this model.
     */
    public Model on(Device wrapper) {
        return new Model(spec, wrapper, parameters, fused, false);
    }

    @Override
    public void close() {
        if (ownsParameters) {
            parameters.values().forEach(Tensor::close);
            fused.values().forEach(FusedConv::close);
        }
    }
}
