package io.ucag.eval.metrics;

import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;

/**
 * The deletion and insertion games of RISE (Petsiuk et al., BMVC 2018, Sec. 4.1), as UCAG evaluates them. Pixels
 * are taken in {@link PixelOrder} (saliency descending, stable), {@code step} per step, so an H x W image gives
 * N = ceil(H*W / step) steps and N + 1 scores s_0..s_N (224 x 224 with step 1792: 29 points).
 * <ul>
 *   <li>Deletion: at step i the first min(i*step, H*W) pixels are replaced by 0 in the normalised input space
 *       (all channels), so s_0 scores the image and s_N an all-zero input.</li>
 *   <li>Insertion: starts from a gaussian-blurred copy of the image (kernel 51, sigma 50, reflect padding) and
 *       restores the first min(i*step, H*W) pixels to their values, so s_N scores the image.</li>
 * </ul>
 * A score is the softmax probability of the scored class. All N + 1 images of a game go through the network in
 * micro-batches of {@code batch} images, built on the device from 0/1 masks.
 */
public final class CausalMetric {
    /** Which game. */
    public enum Game { DELETION, INSERTION }

    /**
     * @param step       pixels per step (224*8 in RISE and UCAG)
     * @param blurKernel odd kernel side of the insertion start's gaussian blur
     * @param blurSigma  its sigma
     * @param batch      images per forward pass (bounds memory; does not change the scores)
     */
    public record Options(int step, int blurKernel, float blurSigma, int batch) {
        public Options {
            if (step < 1) {
                throw new IllegalArgumentException("--step must be >= 1, got " + step);
            }
            if (blurKernel < 1 || blurKernel % 2 == 0 || !(blurSigma > 0)) {
                throw new IllegalArgumentException("the blur needs an odd kernel >= 1 and sigma > 0, got "
                        + blurKernel + " and " + blurSigma);
            }
            if (batch < 1) {
                throw new IllegalArgumentException("--batch must be >= 1, got " + batch);
            }
        }

        /** The paper's settings for a side x side input: step side*8, blur kernel 51, sigma 50; 16 per batch. */
        public static Options paper(int side) {
            return new Options(side * 8, 51, 50f, 16);
        }

        public Options withStep(int value) {
            return new Options(value, blurKernel, blurSigma, batch);
        }

        public Options withBatch(int value) {
            return new Options(step, blurKernel, blurSigma, value);
        }
    }

    private CausalMetric() {
    }

    /** The number of steps N for {@code pixels} pixels. */
    public static int steps(int pixels, int step) {
        return (pixels + step - 1) / step;
    }

    /** The area under the curve with the N + 1 points evenly spaced on [0, 1]: (sum(s) - s_0/2 - s_N/2) / N. */
    public static double auc(float[] scores) {
        if (scores.length < 2) {
            throw new IllegalArgumentException("an AUC needs at least 2 points, got " + scores.length);
        }
        int n = scores.length - 1;
        double sum = 0;
        for (float s : scores) {
            sum += s;
        }
        return (sum - scores[0] / 2.0 - scores[n] / 2.0) / n;
    }

    /**
     * The scores s_0..s_N of one game.
     *
     * @param image    one preprocessed image (1, 3, H, W) on {@code d}
     * @param saliency the map, H*W values row-major (any scale; only the order counts)
     * @param target   the class whose probability is scored
     */
    public static float[] curve(Game game, Device d, Classifier net, Tensor image, float[] saliency, int target,
                                Options options) {
        Shape shape = image.shape();
        if (shape.rank() != 4 || shape.dim(0) != 1) {
            throw new IllegalArgumentException(game + ": expected one image (1, C, H, W), got " + shape);
        }
        int height = shape.dim(2);
        int width = shape.dim(3);
        int pixels = height * width;
        if (saliency.length != pixels) {
            throw new IllegalArgumentException(game + ": a map of " + saliency.length + " values for a " + width
                    + "x" + height + " image");
        }
        int[] rank = PixelOrder.ranks(saliency);
        int points = steps(pixels, options.step()) + 1;
        try (TensorScope scope = TensorScope.open()) {
            // Each image is before * (1 - m) + after * m, m = 1 on the pixels perturbed so far.
            Tensor before = game == Game.DELETION ? image
                    : d.gaussianBlur(image, options.blurKernel(), options.blurSigma());
            Tensor after = game == Game.DELETION ? null : image;
            return ClassScores.probabilities(d, net, points, options.batch(), target, (from, size) -> {
                float[] changed = new float[size * pixels];
                float[] kept = new float[size * pixels];
                for (int k = 0; k < size; k++) {
                    int count = Math.min((from + k) * options.step(), pixels);
                    for (int p = 0; p < pixels; p++) {
                        boolean c = rank[p] < count;
                        changed[k * pixels + p] = c ? 1f : 0f;
                        kept[k * pixels + p] = c ? 0f : 1f;
                    }
                }
                Shape masks = Shape.of(size, 1, height, width);
                Tensor images = d.mul(before, d.fromArray(masks, kept));
                return after == null ? images : d.add(images, d.mul(after, d.fromArray(masks, changed)));
            });
        }
    }
}
