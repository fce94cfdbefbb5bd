package io.ucag.explain;

import io.ucag.models.Model;
import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.ops.ReduceOp;
import io.ucag.runtime.ops.ResizeMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Score-CAM (Wang et al., CVPR workshops 2020, Eq. 4-7 and Algorithm 1): no gradients. Each channel A_c of the
 * target layer is upsampled to the input size (bilinear, align_corners=False), min-max normalised to a mask H_c
 * in [0,1] ({@code (A - min) / (max - min + 1e-8)}, as pytorch-grad-cam), and the channel weight is the model's
 * score for the target on the masked input {@code x * H_c}; the map is {@code sum_c w_c A_c} at feature
 * resolution, bilinearly upsampled, raw (the paper's ReLU is left to post-processing).
 *
 * <p>Scores: {@link Scores#PROBABILITY} (the paper's and its authors' code: {@code w_c = softmax(f(x * H_c))[t]},
 * the default) or {@link Scores#CHANNEL_SOFTMAX} (pytorch-grad-cam's {@code ScoreCAM}: the target logits of the C
 * masked inputs, softmax-normalised over the channels). pytorch-grad-cam upsamples the masks with
 * align_corners=True ({@code UpsamplingBilinear2d}); this class uses align_corners=False like the rest of ucag.
 *
 * <p>Cost: one forward pass per channel and image (2048 for ResNet-50's layer4), {@code microBatch} masked
 * images per pass; memory is bounded by one micro-batch of masked images and its forward pass. Measured on
 * resnet50-keras, one 224 px image, Java device, 2 shared cores: 256 s (2048 forwards in batches of 32), 1.4 GB peak.
 */
public final class ScoreCam implements Explainer {
    /** How the C target scores of the masked inputs become channel weights. */
    public enum Scores {
        /** {@code softmax over classes of each masked input's logits, at the target} (Wang et al.). */
        PROBABILITY,
        /** {@code softmax over channels of the masked inputs' target logits} (pytorch-grad-cam). */
        CHANNEL_SOFTMAX
    }

    public static final int DEFAULT_MICRO_BATCH = 32;
    private static final float EPS = 1e-8f;

    private final String layer; // null: the model's default CAM layer
    private final int microBatch;
    private final Scores scores;

    public ScoreCam(String layer) {
        this(layer, DEFAULT_MICRO_BATCH, Scores.PROBABILITY);
    }

    /**
     * @param layer      target layer, null for the model's default
     * @param microBatch masked images per forward pass (>= 1; does not change the result)
     * @param scores     how masked-input scores become channel weights
     */
    public ScoreCam(String layer, int microBatch, Scores scores) {
        if (microBatch < 1) {
            throw new IllegalArgumentException("scorecam: microBatch must be >= 1, got " + microBatch);
        }
        this.layer = layer;
        this.microBatch = microBatch;
        this.scores = scores;
    }

    @Override
    public String name() {
        return "scorecam";
    }

    @Override
    public boolean signed() {
        return false;
    }

    @Override
    public Explanation explain(Model model, Tensor images, int[] targets) {
        InputGradients.checkTargets(name(), images, targets);
        Device d = model.device();
        try (TensorScope scope = TensorScope.open();
             LayerActivations a = LayerActivations.capture(model, layer, images)) {
            Tensor weights = channelWeights(model, images, a.activations(), targets); // (N,C)
            Shape as = a.activations().shape();
            Tensor weighted = d.mul(a.activations(), weights.reshape(as.dim(0), as.dim(1), 1, 1));
            Tensor cam = d.reduce(weighted, ReduceOp.SUM, new int[] {1}, true);
            Tensor maps = d.resize(cam, images.shape().dim(2), images.shape().dim(3), ResizeMode.BILINEAR);
            return new Explanation(scope.keep(maps), scope.keep(a.logits().reshape(a.logits().shape())));
        }
    }

    /** The channel weights (N,C) of {@code images} for the target layer: each in [0,1]. */
    public Tensor channelWeights(Model model, Tensor images, int[] targets) {
        InputGradients.checkTargets(name(), images, targets);
        try (TensorScope scope = TensorScope.open();
             LayerActivations a = LayerActivations.capture(model, layer, images)) {
            return scope.keep(channelWeights(model, images, a.activations(), targets));
        }
    }

    private Tensor channelWeights(Model model, Tensor images, Tensor activations, int[] targets) {
        Device d = model.device();
        int count = images.shape().dim(0);
        int height = images.shape().dim(2);
        int width = images.shape().dim(3);
        int channels = activations.shape().dim(1);
        int classes = model.spec().numClasses();
        try (TensorScope scope = TensorScope.open()) {
            List<Tensor> rows = new ArrayList<>(count);
            for (int n = 0; n < count; n++) {
                Tensor image = d.slice(images, 0, n, 1);           // (1,3,H,W)
                Tensor features = d.slice(activations, 0, n, 1);   // (1,C,h,w)
                List<Tensor> chunks = new ArrayList<>();
                for (int from = 0; from < channels; from += microBatch) {
                    int size = Math.min(microBatch, channels - from);
                    try (TensorScope batch = TensorScope.open()) {
                        Tensor channel = d.slice(features, 1, from, size);
                        Tensor masks = masks(d, channel.reshape(size, 1, channel.shape().dim(2),
                                channel.shape().dim(3)), height, width);
                        Tensor logits = model.forward(d.mul(image, masks)); // (size, classes)
                        int[] repeated = new int[size];
                        java.util.Arrays.fill(repeated, targets[n]);
                        Tensor selected = scores == Scores.PROBABILITY ? d.softmax(logits, 1) : logits;
                        Tensor picked = d.mul(selected, Targets.oneHot(d, repeated, classes));
                        chunks.add(batch.keep(d.reduce(picked, ReduceOp.SUM, new int[] {1}, false)));
                    }
                    d.synchronize(); // bounds a queued device's memory to one micro-batch in flight
                }
                Tensor row = d.concat(chunks, 0).reshape(1, channels);
                rows.add(scores == Scores.PROBABILITY ? row : d.softmax(row, 1));
            }
            return scope.keep(d.concat(rows, 0));
        }
    }

    /** Each (B,1,h,w) channel upsampled to (H,W) and min-max normalised: (B,1,H,W) in [0,1]. */
    private static Tensor masks(Device d, Tensor channels, int height, int width) {
        int[] spatial = {1, 2, 3};
        Tensor up = d.resize(channels, height, width, ResizeMode.BILINEAR);
        Tensor max = d.reduce(up, ReduceOp.MAX, spatial, true);
        Tensor negativeMin = d.reduce(d.scale(up, -1f), ReduceOp.MAX, spatial, true);
        Tensor range = d.add(d.add(max, negativeMin), d.fromArray(Shape.of(1), new float[] {EPS}));
        return d.div(d.add(up, negativeMin), range);
    }
}
