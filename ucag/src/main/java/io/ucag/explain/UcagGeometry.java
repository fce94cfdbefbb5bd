package io.ucag.explain;

/**
 * The regular patch grid of UCAG (Hong et al., AAAI 2023, Algorithm 1) as pure functions: n patch origins per
 * axis at {@code round(i * (H - h) / (n - 1))}, so the first patch starts at 0 and the last ends exactly at the
 * border (for H = 224, h = 124, n = 6 the stride is 20 px), and the duplication matrix Gamma that counts how
 * many patches cover each pixel. Rounding is half-to-even, like NumPy's {@code round}.
 */
public final class UcagGeometry {
    private UcagGeometry() {
    }

    /** Origins of {@code n} patches of side {@code patch} along an axis of length {@code size}. */
    public static int[] origins(int size, int patch, int n) {
        if (n < 1 || patch < 1 || patch > size) {
            throw new IllegalArgumentException("UCAG needs n >= 1 and 1 <= patch side <= image side, got n=" + n
                    + ", patch " + patch + ", image " + size);
        }
        int[] o = new int[n];
        for (int i = 0; i < n; i++) {
            o[i] = n == 1 ? 0 : (int) Math.rint((double) i * (size - patch) / (n - 1));
        }
        return o;
    }

    /** Gamma: the number of patches covering each pixel of an H x W image, row-major (H*W values). */
    public static int[] coverage(int height, int width, int patchH, int patchW, int n) {
        int[] rows = countPerIndex(height, patchH, origins(height, patchH, n));
        int[] cols = countPerIndex(width, patchW, origins(width, patchW, n));
        int[] gamma = new int[height * width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                gamma[y * width + x] = rows[y] * cols[x];
            }
        }
        return gamma;
    }

    private static int[] countPerIndex(int size, int patch, int[] origins) {
        int[] count = new int[size];
        for (int o : origins) {
            for (int i = o; i < o + patch; i++) {
                count[i]++;
            }
        }
        return count;
    }

    /** The patch side for a fraction {@code rho} of the image side: floor(rho * size), at least 1. */
    public static int patchSide(int size, double rho) {
        return Math.max(1, (int) Math.floor(rho * size));
    }

    /** The side a patch is upsampled to before it is explained: floor(alpha * patch). */
    public static int upsampledSide(int patch, double alpha) {
        return Math.max(1, (int) Math.floor(alpha * patch));
    }
}
