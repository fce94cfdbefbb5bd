package io.ucag.runtime.relevance;

import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import java.util.Arrays;
import java.util.List;

/**
 * The z^B (bounded, "z-box") rule of deep Taylor decomposition (Montavon et al., Pattern Recognition 2017, eq. for
 * the bounded input domain; Montavon et al. 2019, section 10.2.3) for a first layer whose inputs lie in
 * {@code [low, high]}: {@code R_i = sum_j (x_i w_ij - l_i w+_ij - h_i w-_ij) / sum_i' (...) R_j}. The bias drops out of
 * the denominator, as in zennit's {@code ZBox} (its three bias terms cancel). Bounds are per input channel (axis 1),
 * e.g. the normalised pixel range of a model's preprocessing, or one value for all channels.
 */
public final class ZBox implements Rule {
    private final float[] low;
    private final float[] high;

    /**
     * @param low  lowest input value per channel (or one value for all)
     * @param high highest input value per channel, as many as {@code low}, each {@code >= low}
     */
    public ZBox(float[] low, float[] high) {
        if (low.length == 0 || low.length != high.length) {
            throw new IllegalArgumentException("z-box rule: low and high bounds need equal, non-zero lengths, got "
                    + low.length + " and " + high.length);
        }
        for (int c = 0; c < low.length; c++) {
            if (!(high[c] >= low[c]) || !Float.isFinite(low[c]) || !Float.isFinite(high[c])) {
                throw new IllegalArgumentException("z-box rule: need finite bounds with low <= high, channel " + c
                        + " has [" + low[c] + ", " + high[c] + "]");
            }
        }
        this.low = low.clone();
        this.high = high.clone();
    }

    @Override
    public String name() {
        return "z-box(" + Arrays.toString(low) + "," + Arrays.toString(high) + ")";
    }

    /**
     * With {@code w = w+ + w-}, {@code x w - l w+ - h w-} and its transposed share regroup so that both bound terms
     * are one map with stacked weights {@code [w+ | w-]} (inputs side by side): the denominator's bound term is that
     * map of the bounds {@code [l | h]} of one item (every item has the same bounds), and the relevance is
     * {@code (x - l) f^T(s; w+) + (x - h) f^T(s; w-)}, both transposes in one call -- two maps of the batch instead of
     * six, and for a 3-channel image twice the channels per transposed convolution.
     */
    @Override
    public Tensor relevance(Device d, AffineLayer layer, Tensor input, Tensor relevance) {
        try (TensorScope scope = TensorScope.open()) {
            AffineOp op = layer.op();
            Tensor w = layer.weight();
            Tensor stacked = w.derived("positive and negative parts, stacked along inputs", () -> d.concat(
                    List.of(Parts.positiveParameter(d, w), Parts.negativeParameter(d, w)), 1));
            Shape item = input.shape().with(0, 1);
            Tensor bounds = d.concat(List.of(broadcast(d, low, item), broadcast(d, high, item)), 1);
            Tensor z = d.add(op.apply(d, input, w, null), d.scale(op.apply(d, bounds, stacked, null), -1f));
            Tensor s = Stabilizer.divide(d, relevance, z, Stabilizer.DEFAULT_EPSILON);
            int inputs = input.shape().dim(1);
            Tensor shares = op.transpose(d, s, stacked, input.shape().with(1, 2 * inputs));
            Tensor fromPositive = d.mul(d.add(input, perChannel(d, low, input.shape(), -1f)),
                    d.slice(shares, 1, 0, inputs));
            Tensor fromNegative = d.mul(d.add(input, perChannel(d, high, input.shape(), -1f)),
                    d.slice(shares, 1, inputs, inputs));
            return scope.keep(d.add(fromPositive, fromNegative));
        }
    }

    /** The per-channel bound values spread over {@code shape} (channels on axis 1). */
    private static Tensor broadcast(Device d, float[] values, Shape shape) {
        try (Tensor perChannel = perChannel(d, values, shape, 1f); Tensor zeros = d.zeros(shape)) {
            return d.add(zeros, perChannel);
        }
    }

    /** {@code scale * values} shaped to broadcast along axis 1 of {@code shape} (1 elsewhere). */
    private static Tensor perChannel(Device d, float[] values, Shape shape, float scale) {
        if (values.length != 1 && values.length != shape.dim(1)) {
            throw new IllegalArgumentException("z-box rule: " + values.length + " bounds for an input " + shape
                    + " with " + shape.dim(1) + " channels");
        }
        int[] dims = new int[shape.rank()];
        Arrays.fill(dims, 1);
        dims[Math.min(1, dims.length - 1)] = values.length;
        float[] scaled = new float[values.length];
        for (int c = 0; c < values.length; c++) {
            scaled[c] = scale * values[c];
        }
        return d.fromArray(Shape.of(dims), scaled);
    }
}
