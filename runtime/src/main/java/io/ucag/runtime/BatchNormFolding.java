package io.ucag.runtime;

/**
 * Folds an inference BatchNorm into the convolution (or linear layer) in front of it, so that
 * {@code bn(conv(x, weight, bias))} equals {@code conv(x, folded.weight, folded.bias)}:
 *
 * <pre>
 *   s[o]       = gamma[o] / sqrt(var[o] + eps)
 *   weight'[o] = weight[o] * s[o]                      (every element of output channel o)
 *   bias'[o]   = (bias[o] - mean[o]) * s[o] + beta[o]  (bias absent = zeros)
 * </pre>
 *
 * The weight's output channel must be its outermost axis, as in conv (O,C,kh,kw) and linear (O,K). Folding is
 * computed in double and rounded once, so the folded layer is as close to the unfolded pair as float allows.
 */
public final class BatchNormFolding {
    private BatchNormFolding() {
    }

    /**
     * New parameters of the folded layer (fresh arrays).
     *
     * @param weight (O,...) row-major, output channel outermost
     * @param bias   (O)
     */
    public record Folded(float[] weight, float[] bias) {
    }

    /**
     * Folds BatchNorm parameters, each of length O, into {@code weight} (O*k values) and {@code bias} (O values,
     * or null for a layer without bias). The inputs are not modified.
     */
    public static Folded fold(float[] weight, float[] bias, float[] mean, float[] var, float[] gamma, float[] beta,
            float eps) {
        int channels = mean.length;
        if (var.length != channels || gamma.length != channels || beta.length != channels) {
            throw new IllegalArgumentException("batchNormFolding: mean, var, gamma and beta must have equal "
                    + "lengths, got " + channels + ", " + var.length + ", " + gamma.length + ", " + beta.length);
        }
        if (channels == 0 || weight.length == 0 || weight.length % channels != 0) {
            throw new IllegalArgumentException("batchNormFolding: weight of " + weight.length
                    + " values is not a whole number of " + channels + " output channels");
        }
        if (bias != null && bias.length != channels) {
            throw new IllegalArgumentException("batchNormFolding: bias has " + bias.length + " values, the batch norm "
                    + channels + " channels");
        }
        if (!(eps >= 0)) {
            throw new IllegalArgumentException("batchNormFolding: eps must be >= 0, got " + eps);
        }
        int perChannel = weight.length / channels;
        float[] newWeight = new float[weight.length];
        float[] newBias = new float[channels];
        for (int o = 0; o < channels; o++) {
            double s = gamma[o] / Math.sqrt((double) var[o] + eps);
            for (int i = o * perChannel; i < (o + 1) * perChannel; i++) {
                newWeight[i] = (float) (weight[i] * s);
            }
            double b = bias == null ? 0 : bias[o];
            newBias[o] = (float) ((b - mean[o]) * s + beta[o]);
        }
        return new Folded(newWeight, newBias);
    }
}
