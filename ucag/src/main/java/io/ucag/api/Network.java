package io.ucag.api;

import io.ucag.eval.metrics.CausalMetric;
import io.ucag.eval.metrics.Classifier;
import io.ucag.eval.metrics.EnergyPointingGame;
import io.ucag.eval.metrics.MapDensity;
import io.ucag.eval.metrics.PointingGame;
import io.ucag.explain.Explainer;
import io.ucag.explain.Explanation;
import io.ucag.models.ImageNetClasses;
import io.ucag.models.Model;
import io.ucag.models.ModelLoader;
import io.ucag.models.ModelZoo;
import io.ucag.models.image.ImageFiles;
import io.ucag.models.image.InputTransform;
import io.ucag.runtime.Device;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * A classification network with its weights on one device: the library's entry point. It prepares photos,
 * classifies them, explains a class with any {@link Explainer} (plain or wrapped in UCAG) and scores a map.
 * Every result is a plain Java object; every tensor a call makes is freed before it returns.
 *
 * <pre>{@code
 * try (Network net = Network.open(ModelSource.defaultModel(), DeviceChoice.AUTO)) {
 *     InputImage photo = net.prepare(Path.of("cat.png"));
 *     Attribution a = net.explain(photo, Explainers.ucag(Explainers.byName("gradcam"), UcagOptions.PAPER));
 *     ImageIO.write(a.overlay(), "png", new File("cat-ucag-gradcam.png"));
 * }
 * }</pre>
 *
 * <p>Threads: a Network may be used by several threads at once. Each call works on its own tensors in its own
 * {@link TensorScope}, the weights are only read, explainers keep no state between calls, and both devices
 * accept concurrent callers: the Java device runs each op on its thread pool; the OpenCL device puts every
 * command on one in-order queue (so concurrent calls give the same results as sequential ones, and share the
 * device rather than run side by side). {@link #close()} waits for the calls in flight; later calls throw
 * {@link IllegalStateException}.
 */
public final class Network implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Network.class.getName());

    private final Model model;
    private final Device ownedDevice; // closed with the network; null when the caller owns the device
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock(); // calls read, close writes
    private boolean closed; // guarded by lifecycle

    private Network(Model model, Device ownedDevice) {
        this.model = model;
        this.ownedDevice = ownedDevice;
    }

    /**
     * Opens a device and loads the network on it; closing the network closes both.
     *
     * @throws IOException when the weights cannot be read or fetched
     */
    public static Network open(ModelSource source, DeviceChoice device) throws IOException {
        Device d = device.open();
        try {
            return new Network(loadModel(source, d, ModelZoo.BUILT_IN), d);
        } catch (IOException | RuntimeException e) {
            d.close();
            throw e;
        }
    }

    /** Loads the network on a device the caller owns (and closes after the network). */
    public static Network load(ModelSource source, Device device) throws IOException {
        return load(source, device, ModelZoo.BUILT_IN);
    }

    /** Loads an architecture of {@code zoo} (e.g. {@code ModelZoo.BUILT_IN.with(mySpec)}) on {@code device}. */
    public static Network load(ModelSource source, Device device, ModelZoo zoo) throws IOException {
        return new Network(loadModel(source, device, zoo), null);
    }

    /** Takes over a model already loaded ({@link Model#load}); closing the network closes it, not its device. */
    public static Network wrap(Model model) {
        return new Network(model, null);
    }

    private static Model loadModel(ModelSource source, Device device, ModelZoo zoo) throws IOException {
        Model m = ModelLoader.load(zoo.resolve(source.architecture()), source.weights(), device, source.cacheDir());
        LOG.log(System.Logger.Level.DEBUG, () -> "loaded " + m.spec().architecture() + " on " + device.name());
        return m;
    }

    /** The underlying model (weights on the device), for the lower-level API of {@code io.ucag.explain}. */
    public Model model() {
        return model;
    }

    /** The device the weights live on. */
    public Device device() {
        return model.device();
    }

    /** The architecture's name, e.g. {@code resnet50-keras}. */
    public String architecture() {
        return model.spec().architecture();
    }

    /** The side S of the square input in pixels (224 for the ImageNet networks). */
    public int inputSide() {
        return model.spec().preprocessing().cropSize();
    }

    /** The number of classes (logits per image). */
    public int numClasses() {
        return model.spec().numClasses();
    }

    /** A readable name of class {@code index}: ImageNet's for a 1000-class network, else {@code class <index>}. */
    public String className(int index) {
        return numClasses() == 1000 ? ImageNetClasses.name(index) : "class " + index;
    }

    /** Fits a photo to the input: shorter side to 256, centre crop 224 (torchvision's evaluation transform). */
    public InputImage prepare(BufferedImage image) {
        return prepare(image, InputTransform.Crop.CENTER);
    }

    /** Fits a photo to the input with {@code crop} (CENTER, or NONE: the whole photo resized, aspect not kept). */
    public InputImage prepare(BufferedImage image, InputTransform.Crop crop) {
        return InputImage.of(image, model.spec().preprocessing(), crop);
    }

    /** Reads a JPEG, PNG or BMP file and fits it with the centre crop; IOException naming the file if unreadable. */
    public InputImage prepare(Path file) throws IOException {
        return prepare(file, InputTransform.Crop.CENTER);
    }

    /** Reads an image file and fits it with {@code crop}. */
    public InputImage prepare(Path file, InputTransform.Crop crop) throws IOException {
        if (crop == null) {
            throw new IllegalArgumentException("crop must be CENTER or NONE");
        }
        var p = model.spec().preprocessing();
        return InputImage.ofFitted(InputTransform.fit(ImageFiles.read(file), p, crop), p);
    }

    /** softmax(logits) of one input: {@link #numClasses()} probabilities. */
    public float[] probabilities(InputImage input) {
        return call(() -> {
            Device d = device();
            try (TensorScope scope = TensorScope.open()) {
                return d.softmax(model.forward(toTensor(input)), 1).toArray();
            }
        });
    }

    /** The {@code k} most probable classes, most probable first. */
    public List<Prediction> classify(InputImage input, int k) {
        return Prediction.top(probabilities(input), k, this::className);
    }

    /** Explains the most probable class of {@code input}. */
    public Attribution explain(InputImage input, Explainer method) {
        return explain(input, method, TopK.indices(probabilities(input), 0, numClasses(), 1)[0]);
    }

    /**
     * Explains class {@code target} of {@code input} with {@code method}: the raw map (S, S) and the class's
     * probability, from the method's own forward pass.
     */
    public Attribution explain(InputImage input, Explainer method, int target) {
        if (method == null) {
            throw new IllegalArgumentException("explain needs a method, e.g. Explainers.byName(\"gradcam\")");
        }
        checkTarget(target);
        return call(() -> {
            Device d = device();
            try (TensorScope scope = TensorScope.open();
                 Explanation e = method.explain(model, toTensor(input), new int[] {target})) {
                float[] map = e.maps().toArray();
                float probability = d.softmax(e.logits(), 1).toArray()[target];
                return new Attribution(method.name(), method.signed(), target, probability, input.fittedPhoto(), map);
            }
        });
    }

    /** {@link #evaluate(InputImage, Attribution, MetricOptions)} with the paper's settings and no region. */
    public MetricScores evaluate(InputImage input, Attribution attribution) {
        return evaluate(input, attribution, MetricOptions.paper(inputSide()));
    }

    /**
     * Scores {@code attribution}'s map of {@code input} for its target class: deletion and insertion AUC
     * ({@link CausalMetric}), map densities ({@link MapDensity}), and with a region the pointing game
     * ({@link PointingGame}) and the energy pointing game ({@link EnergyPointingGame}).
     */
    public MetricScores evaluate(InputImage input, Attribution attribution, MetricOptions options) {
        int side = input.side();
        if (attribution.width() != side || attribution.height() != side) {
            throw new IllegalArgumentException("a " + attribution.width() + "x" + attribution.height()
                    + " map for a " + side + "x" + side + " input: explain this input first");
        }
        boolean[] region = options.region();
        if (region != null && region.length != side * side) {
            throw new IllegalArgumentException("the region has " + region.length + " pixels, the input "
                    + side * side + " (" + side + "x" + side + ")");
        }
        float[] map = attribution.rawMap();
        int target = attribution.target();
        checkTarget(target);
        return call(() -> {
            Device d = device();
            Classifier net = Classifier.of(model);
            try (TensorScope scope = TensorScope.open()) {
                Tensor x = toTensor(input);
                double deletion = CausalMetric.auc(CausalMetric.curve(CausalMetric.Game.DELETION, d, net, x, map,
                        target, options.game()));
                double insertion = CausalMetric.auc(CausalMetric.curve(CausalMetric.Game.INSERTION, d, net, x, map,
                        target, options.game()));
                MapDensity.Densities density = MapDensity.of(d, net, x, map, target);
                OptionalDouble pointing = region == null ? OptionalDouble.empty()
                        : OptionalDouble.of(PointingGame.hit(map, region, side, options.tolerance()) ? 1 : 0);
                OptionalDouble energy = region == null ? OptionalDouble.empty()
                        : OptionalDouble.of(EnergyPointingGame.energy(map, region));
                return new MetricScores(deletion, insertion, density.positive(), density.negative(), pointing,
                        energy);
            }
        });
    }

    private Tensor toTensor(InputImage input) {
        if (input.side() != inputSide()) {
            throw new IllegalArgumentException("a " + input.side() + "x" + input.side() + " input for "
                    + architecture() + ", which takes " + inputSide() + "x" + inputSide() + ": prepare it with "
                    + "this network");
        }
        return input.toTensor(device());
    }

    private void checkTarget(int target) {
        if (target < 0 || target >= numClasses()) {
            throw new IllegalArgumentException("class " + target + " is outside " + architecture() + "'s 0.."
                    + (numClasses() - 1));
        }
    }

    /** Runs {@code work} unless the network is closed; close() waits for it. */
    private <T> T call(Supplier<T> work) {
        Lock read = lifecycle.readLock();
        read.lock();
        try {
            if (closed) {
                throw new IllegalStateException(architecture() + ": the network was closed");
            }
            return work.get();
        } finally {
            read.unlock();
        }
    }

    /** Frees the weights (and the device, if this network opened it), after the calls in flight. Idempotent. */
    @Override
    public void close() {
        Lock write = lifecycle.writeLock();
        write.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            model.close();
            if (ownedDevice != null) {
                ownedDevice.close();
            }
        } finally {
            write.unlock();
        }
    }
}
