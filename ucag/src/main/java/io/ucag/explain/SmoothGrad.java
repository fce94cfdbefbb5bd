package io.ucag.explain;

import io.ucag.models.Model;
import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.ops.ReduceOp;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * SmoothGrad (Smilkov et al., 2017, Eq. 3): the mean of the input gradients of {@code samples} noisy copies
 * {@code x + N(0, sigma^2)}, with {@code sigma = noiseLevel * (max(x) - min(x))} per image (the paper's noise
 * level, 0.15 by default), summed over the colour channels: {@code sum_c mean_k dy/dx_c (x + noise_k)}. Signed
 * (the paper also shows |.|; apply it in post-processing).
 *
 * <p>The noise comes from {@code new Random(seed)}, drawn copy after copy (image-major), so a call is reproducible
 * and independent of the micro-batch size. The copies run {@code microBatch} at a time through one forward and
 * backward pass each: cost = samples forward+backward passes per image.
 */
public final class SmoothGrad implements Explainer {
    public static final int DEFAULT_SAMPLES = 25;
    public static final double DEFAULT_NOISE_LEVEL = 0.15;
    public static final long DEFAULT_SEED = 0;
    public static final int DEFAULT_MICRO_BATCH = 4;

    private final int samples;
    private final double noiseLevel;
    private final long seed;
    private final int microBatch;

    public SmoothGrad() {
        this(DEFAULT_SAMPLES, DEFAULT_NOISE_LEVEL, DEFAULT_SEED, DEFAULT_MICRO_BATCH);
    }

    /**
     * @param samples    noisy copies per image (>= 1)
     * @param noiseLevel noise standard deviation as a fraction of the image's value range (>= 0)
     * @param seed       seed of the noise
     * @param microBatch copies per forward/backward pass (>= 1)
     */
    public SmoothGrad(int samples, double noiseLevel, long seed, int microBatch) {
        if (samples < 1 || microBatch < 1 || !(noiseLevel >= 0)) {
            throw new IllegalArgumentException("smoothgrad: samples and microBatch must be >= 1 and noiseLevel >= 0,"
                    + " got " + samples + ", " + microBatch + ", " + noiseLevel);
        }
        this.samples = samples;
        this.noiseLevel = noiseLevel;
        this.seed = seed;
        this.microBatch = microBatch;
    }

    @Override
    public String name() {
        return "smoothgrad";
    }

    @Override
    public boolean signed() {
        return true;
    }

    @Override
    public Explanation explain(Model model, Tensor images, int[] targets) {
        InputGradients.checkTargets(name(), images, targets);
        Device d = model.device();
        Shape shape = images.shape();
        int perImage = shape.size(1, shape.rank());
        Random rng = new Random(seed);
        try (TensorScope scope = TensorScope.open()) {
            Tensor sigma = noiseScale(d, images); // (N,1,1,1)
            Tensor mean = InputGradients.meanOverCopies(model, shape, samples, targets, microBatch, (dev, from, to) -> {
                List<Tensor> rows = new ArrayList<>(to - from);
                List<Tensor> scales = new ArrayList<>(to - from);
                for (int j = from; j < to; j++) {
                    rows.add(dev.slice(images, 0, j / samples, 1));
                    scales.add(dev.slice(sigma, 0, j / samples, 1));
                }
                float[] gaussian = new float[(to - from) * perImage];
                for (int i = 0; i < gaussian.length; i++) {
                    gaussian[i] = (float) rng.nextGaussian();
                }
                Tensor noise = dev.fromArray(Shape.of(to - from, shape.dim(1), shape.dim(2), shape.dim(3)), gaussian);
                return dev.add(dev.concat(rows, 0), dev.mul(noise, dev.concat(scales, 0)));
            });
            Tensor map = d.reduce(mean, ReduceOp.SUM, new int[] {1}, true);
            return new Explanation(scope.keep(map), scope.keep(model.forward(images)));
        }
    }

    /** noiseLevel * (max - min) of each image, (N,1,1,1). */
    private Tensor noiseScale(Device d, Tensor images) {
        int[] perImage = {1, 2, 3};
        Tensor max = d.reduce(images, ReduceOp.MAX, perImage, true);
        Tensor negativeMin = d.reduce(d.scale(images, -1f), ReduceOp.MAX, perImage, true);
        return d.scale(d.add(max, negativeMin), (float) noiseLevel);
    }
}
