package io.ucag.explain;

/**
 * Parameters of UCAG (Hong et al., AAAI 2023, Algorithm 1). Defaults are the paper's: n = 6 patches per side of
 * side rho = 0.555 of the image (124 px of 224), each upsampled by alpha = 2.6 (to 322 px).
 *
 * @param n          patches per side (n*n patches)
 * @param rho        patch side as a fraction of the image side (used when {@code cropPixels} is 0)
 * @param cropPixels patch side in pixels, or 0 to derive it from {@code rho}
 * @param alpha      upsampling factor of each patch before it is explained
 * @param microBatch patches explained per batch (bounds memory; does not change the result)
 * @param weighting  weight each patch's map by exp(softmax probability of the target on that patch)
 * @param fold       how weighted maps are folded back onto the image
 */
public record UcagOptions(int n, double rho, int cropPixels, double alpha, int microBatch, boolean weighting,
                          Fold fold) {
    /** The fold of the weighted patch maps onto the canvas. */
    public enum Fold {
        /** The paper: weights exp(p), each pixel divided by the number of patches covering it (Gamma). */
        STANDARD,
        /** The authors' released code: weights exp(p) / max over patches of exp(p), divisor Gamma + 1. */
        REFERENCE
    }

    public static final UcagOptions PAPER = new UcagOptions(6, 0.555, 0, 2.6, 12, true, Fold.STANDARD);

    public UcagOptions {
        if (n < 1 || n > 64) {
            throw new IllegalArgumentException("--n must be in 1..64, got " + n);
        }
        if (cropPixels == 0 && !(rho > 0 && rho <= 1)) {
            throw new IllegalArgumentException("--rho must be in (0, 1], got " + rho);
        }
        if (cropPixels < 0) {
            throw new IllegalArgumentException("--crop-px must be >= 1, got " + cropPixels);
        }
        if (!(alpha > 0) || alpha > 16) {
            throw new IllegalArgumentException("--alpha must be in (0, 16], got " + alpha);
        }
        if (microBatch < 1) {
            throw new IllegalArgumentException("--micro-batch must be >= 1, got " + microBatch);
        }
        if (fold == null) {
            throw new IllegalArgumentException("fold must be STANDARD or REFERENCE");
        }
    }

    /** Patch side along an image side of {@code size} pixels. */
    public int patchSide(int size) {
        int side = cropPixels > 0 ? cropPixels : UcagGeometry.patchSide(size, rho);
        if (side > size) {
            throw new IllegalArgumentException("--crop-px " + side + " exceeds the image side " + size);
        }
        return side;
    }

    public UcagOptions withN(int value) {
        return new UcagOptions(value, rho, cropPixels, alpha, microBatch, weighting, fold);
    }

    public UcagOptions withRho(double value) {
        return new UcagOptions(n, value, 0, alpha, microBatch, weighting, fold);
    }

    public UcagOptions withCropPixels(int value) {
        return new UcagOptions(n, rho, value, alpha, microBatch, weighting, fold);
    }

    public UcagOptions withAlpha(double value) {
        return new UcagOptions(n, rho, cropPixels, value, microBatch, weighting, fold);
    }

    public UcagOptions withMicroBatch(int value) {
        return new UcagOptions(n, rho, cropPixels, alpha, value, weighting, fold);
    }

    public UcagOptions withWeighting(boolean value) {
        return new UcagOptions(n, rho, cropPixels, alpha, microBatch, value, fold);
    }

    public UcagOptions withFold(Fold value) {
        return new UcagOptions(n, rho, cropPixels, alpha, microBatch, weighting, value);
    }
}
