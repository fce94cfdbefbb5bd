package io.ucag.explain;

import io.ucag.models.Model;
import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.ops.ReduceOp;
import io.ucag.runtime.ops.ResizeMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * UCAG, Unfold and Conquer Attribution Guidance (Hong et al., AAAI 2023, Algorithm 1), wrapping any
 * {@link Explainer}. For each image: cut n x n overlapping patches on a regular grid ({@link UcagGeometry}),
 * upsample each by alpha (bicubic), explain all patches as one batch (micro-batched), weight each raw patch map
 * by exp(softmax probability of the target on that patch), resize it back to the patch size (bilinear), add it
 * onto an H x W canvas and divide every pixel by the number of patches covering it (Gamma). Everything runs on
 * the model's device; only the result is read back by the caller.
 *
 * <p>The returned logits are those of the whole images (a plain forward pass), for reporting.
 */
public final class Ucag implements Explainer {
    private final Explainer base;
    private final UcagOptions options;

    public Ucag(Explainer base, UcagOptions options) {
        this.base = base;
        this.options = options;
    }

    public Explainer base() {
        return base;
    }

    public UcagOptions options() {
        return options;
    }

    @Override
    public String name() {
        return base.name() + "+ucag";
    }

    @Override
    public boolean signed() {
        return base.signed();
    }

    @Override
    public Explanation explain(Model model, Tensor images, int[] targets) {
        Device d = model.device();
        int count = images.shape().dim(0);
        if (targets.length != count) {
            throw new IllegalArgumentException(name() + ": " + targets.length + " targets for a batch of " + count);
        }
        try (TensorScope scope = TensorScope.open()) {
            List<Tensor> canvases = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                try (Tensor image = d.slice(images, 0, i, 1)) {
                    canvases.add(explainOne(model, image, targets[i]));
                }
            }
            Tensor maps = d.concat(canvases, 0);
            Tensor logits = model.forward(images);
            return new Explanation(scope.keep(maps), scope.keep(logits));
        }
    }

    /** The folded map (1,1,H,W) of one image (1,3,H,W). */
    private Tensor explainOne(Model model, Tensor image, int target) {
        Device d = model.device();
        int height = image.shape().dim(2);
        int width = image.shape().dim(3);
        int h = options.patchSide(height);
        int w = options.patchSide(width);
        int upH = UcagGeometry.upsampledSide(h, options.alpha());
        int upW = UcagGeometry.upsampledSide(w, options.alpha());
        int[] rows = UcagGeometry.origins(height, h, options.n());
        int[] cols = UcagGeometry.origins(width, w, options.n());
        int patches = options.n() * options.n();

        try (TensorScope scope = TensorScope.open()) {
            Tensor canvas = d.zeros(Shape.of(1, 1, height, width));
            List<Tensor> weights = new ArrayList<>(); // per micro-batch (B,1,1,1), for the reference fold
            int microBatch = Math.min(options.microBatch(), base.maxBatch());
            for (int start = 0; start < patches; start += microBatch) {
                int size = Math.min(microBatch, patches - start);
                try (TensorScope batchScope = TensorScope.open()) {
                    List<Tensor> crops = new ArrayList<>(size);
                    for (int k = start; k < start + size; k++) {
                        crops.add(d.crop(image, rows[k / options.n()], cols[k % options.n()], h, w));
                    }
                    // one resize for the micro-batch: it works plane by plane, and one call is one launch
                    Tensor upsampled = d.resize(d.concat(crops, 0), upH, upW, ResizeMode.BICUBIC);
                    int[] batchTargets = new int[size];
                    Arrays.fill(batchTargets, target);
                    Explanation e = base.explain(model, upsampled, batchTargets);
                    Tensor maps = d.resize(e.maps(), h, w, ResizeMode.BILINEAR);
                    if (options.weighting()) {
                        Tensor weight = confidenceWeights(d, e.logits(), batchTargets);
                        maps = d.mul(maps, weight);
                        weights.add(batchScope.keep(weight));
                    }
                    e.close();
                    for (int b = 0; b < size; b++) {
                        int k = start + b;
                        int top = rows[k / options.n()];
                        int left = cols[k % options.n()];
                        Tensor piece = d.slice(maps, 0, b, 1);
                        Tensor placed = d.pad(piece, top, height - top - h, left, width - left - w, 0f);
                        Tensor sum = batchScope.keep(d.add(canvas, placed));
                        canvas.close();
                        canvas = sum;
                    }
                }
            }
            return scope.keep(divideByCoverage(d, canvas, weights, height, width, h, w));
        }
    }

    /** exp(softmax(logits)[target]) per patch, shaped (B,1,1,1) to scale the maps. */
    private static Tensor confidenceWeights(Device d, Tensor logits, int[] targets) {
        int batch = targets.length;
        try (Tensor probabilities = d.softmax(logits, 1);
             Tensor oneHot = Targets.oneHot(d, targets, logits.shape().dim(1));
             Tensor selected = d.mul(probabilities, oneHot);
             Tensor probability = d.reduce(selected, ReduceOp.SUM, new int[] {1}, false);
             Tensor weight = d.exp(probability)) {
            return weight.reshape(batch, 1, 1, 1);
        }
    }

    private Tensor divideByCoverage(Device d, Tensor canvas, List<Tensor> weights, int height, int width, int h,
                                    int w) {
        boolean reference = options.fold() == UcagOptions.Fold.REFERENCE;
        int[] gamma = UcagGeometry.coverage(height, width, h, w, options.n());
        float[] inverse = new float[gamma.length];
        for (int i = 0; i < gamma.length; i++) {
            inverse[i] = 1f / (gamma[i] + (reference ? 1 : 0));
        }
        try (Tensor divisor = d.fromArray(Shape.of(1, 1, height, width), inverse)) {
            Tensor folded = d.mul(canvas, divisor);
            if (!reference || weights.isEmpty()) {
                return folded;
            }
            // The released code normalises the weights by their maximum over the patches of the image.
            try (Tensor all = d.concat(weights, 0);
                 Tensor max = d.reduce(all, ReduceOp.MAX, new int[] {0, 1, 2, 3}, false)) {
                Tensor normalised = d.div(folded, max);
                folded.close();
                return normalised;
            }
        }
    }
}
