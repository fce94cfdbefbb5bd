package io.ucag.models.image;

/**
 * PIL's {@code Image.resize(size, Image.BILINEAR)} for 8-bit RGB, bit for bit: a separable triangle filter whose
 * support widens with the downscale factor (antialiasing), fixed-point coefficients of 22 bits, and rounding to
 * 8 bits after the horizontal pass and after the vertical pass (Pillow's {@code libImaging/Resample.c}).
 * torchvision's {@code Resize} on PIL images calls exactly this.
 */
public final class PilResize {
    private static final int PRECISION_BITS = 32 - 8 - 2;

    /** Per output index: first input index, number of taps, and their fixed-point weights. */
    private record Coefficients(int[] first, int[] count, int[][] weights) {
    }

    private PilResize() {
    }

    public static RgbImage bilinear(RgbImage in, int outW, int outH) {
        if (outW < 1 || outH < 1) {
            throw new IllegalArgumentException("resize target must be >= 1x1, got " + outW + "x" + outH);
        }
        RgbImage horizontal = outW == in.width() ? in : horizontal(in, coefficients(in.width(), outW), outW);
        return outH == in.height() ? horizontal : vertical(horizontal, coefficients(in.height(), outH), outH);
    }

    private static Coefficients coefficients(int inSize, int outSize) {
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = 1.0 * filterScale; // the bilinear filter's support is 1
        int[] first = new int[outSize];
        int[] count = new int[outSize];
        int[][] weights = new int[outSize][];
        for (int xx = 0; xx < outSize; xx++) {
            double center = (xx + 0.5) * scale;
            double ss = 1.0 / filterScale;
            int xmin = Math.max((int) (center - support + 0.5), 0);
            int xmax = Math.min((int) (center + support + 0.5), inSize) - xmin;
            double[] k = new double[xmax];
            double sum = 0;
            for (int x = 0; x < xmax; x++) {
                double w = triangle((x + xmin - center + 0.5) * ss);
                k[x] = w;
                sum += w;
            }
            int[] fixed = new int[xmax];
            for (int x = 0; x < xmax; x++) {
                double w = sum != 0 ? k[x] / sum : k[x];
                fixed[x] = w < 0 ? (int) (-0.5 + w * (1 << PRECISION_BITS)) : (int) (0.5 + w * (1 << PRECISION_BITS));
            }
            first[xx] = xmin;
            count[xx] = xmax;
            weights[xx] = fixed;
        }
        return new Coefficients(first, count, weights);
    }

    private static double triangle(double x) {
        double a = Math.abs(x);
        return a < 1.0 ? 1.0 - a : 0.0;
    }

    private static RgbImage horizontal(RgbImage in, Coefficients k, int outW) {
        int h = in.height();
        byte[] src = in.pixels();
        byte[] out = new byte[outW * h * 3];
        for (int y = 0; y < h; y++) {
            int row = y * in.width();
            for (int x = 0; x < outW; x++) {
                for (int c = 0; c < 3; c++) {
                    int acc = 1 << (PRECISION_BITS - 1);
                    int[] w = k.weights()[x];
                    for (int t = 0; t < k.count()[x]; t++) {
                        acc += (src[(row + k.first()[x] + t) * 3 + c] & 0xFF) * w[t];
                    }
                    out[(y * outW + x) * 3 + c] = clip8(acc);
                }
            }
        }
        return new RgbImage(outW, h, out);
    }

    private static RgbImage vertical(RgbImage in, Coefficients k, int outH) {
        int w = in.width();
        byte[] src = in.pixels();
        byte[] out = new byte[w * outH * 3];
        for (int y = 0; y < outH; y++) {
            int[] weights = k.weights()[y];
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    int acc = 1 << (PRECISION_BITS - 1);
                    for (int t = 0; t < k.count()[y]; t++) {
                        acc += (src[((k.first()[y] + t) * w + x) * 3 + c] & 0xFF) * weights[t];
                    }
                    out[(y * w + x) * 3 + c] = clip8(acc);
                }
            }
        }
        return new RgbImage(w, outH, out);
    }

    private static byte clip8(int acc) {
        int v = acc >> PRECISION_BITS;
        return (byte) (v < 0 ? 0 : Math.min(v, 255));
    }
}
