package io.ucag.runtime.relevance;

import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import java.util.Arrays;

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

    @Override
    public Tensor relevance(Device d, AffineLayer layer, Tensor input, Tensor relevance) {
        try (TensorScope scope = TensorScope.open()) {
            AffineOp op = layer.op();
            Tensor w = layer.weight();
            Tensor weightPos = Parts.positive(d, w);
            Tensor weightNeg = Parts.negative(d, w);
            Tensor lows = broadcast(d, low, input.shape());
            Tensor highs = broadcast(d, high, input.shape());
            Tensor z = d.add(op.apply(d, input, w, null), d.scale(d.add(op.apply(d, lows, weightPos, null),
                    op.apply(d, highs, weightNeg, null)), -1f));
            Tensor s = Stabilizer.divide(d, relevance, z, Stabilizer.DEFAULT_EPSILON);
            Tensor own = d.mul(input, op.transpose(d, s, w, input.shape()));
            Tensor bounded = d.add(d.mul(lows, op.transpose(d, s, weightPos, input.shape())),
                    d.mul(highs, op.transpose(d, s, weightNeg, input.shape())));
            return scope.keep(d.add(own, d.scale(bounded, -1f)));
        }
    }

    /** The per-channel bound values spread over {@code shape} (channels on axis 1). */
    private static Tensor broadcast(Device d, float[] values, Shape shape) {
        if (values.length != 1 && values.length != shape.dim(1)) {
            throw new IllegalArgumentException("z-box rule: " + values.length + " bounds for an input " + shape
                    + " with " + shape.dim(1) + " channels");
        }
        int[] dims = new int[shape.rank()];
        Arrays.fill(dims, 1);
        dims[Math.min(1, dims.length - 1)] = values.length;
        try (Tensor perChannel = d.fromArray(Shape.of(dims), values); Tensor zeros = d.zeros(shape)) {
            return d.add(zeros, perChannel);
        }
    }
}
