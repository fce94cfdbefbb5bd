package io.ucag.eval.report;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** Means with 95% confidence intervals: Student's t for plain means, a percentile bootstrap for class means. */
public final class Statistics {
    /** A point estimate with its 95% interval; bounds are NaN when n is too small to have one. */
    public record Interval(int n, double mean, double low, double high) {
    }

    /** Resamples of the bootstrap (fixed seed: a summary is reproducible). */
    public static final int RESAMPLES = 2000;
    private static final long SEED = 20230207L;

    /** t_{0.975} for df 1..30 (from the t distribution's CDF); beyond, a Cornish-Fisher expansion (< 1e-7 off). */
    private static final double[] T975 = {12.70620, 4.30265, 3.18245, 2.77645, 2.57058, 2.44691, 2.36462, 2.30600,
        2.26216, 2.22814, 2.20099, 2.17881, 2.16037, 2.14479, 2.13145, 2.11991, 2.10982, 2.10092, 2.09302, 2.08596,
        2.07961, 2.07387, 2.06866, 2.06390, 2.05954, 2.05553, 2.05183, 2.04841, 2.04523, 2.04227};

    private Statistics() {
    }

    /** The 97.5% quantile of Student's t with {@code df} degrees of freedom. */
    public static double t975(int df) {
        if (df < 1) {
            throw new IllegalArgumentException("degrees of freedom must be >= 1, got " + df);
        }
        if (df <= T975.length) {
            return T975[df - 1];
        }
        double z = 1.959963984540054;
        double z3 = z * z * z;
        double z5 = z3 * z * z;
        double z7 = z5 * z * z;
        double z9 = z7 * z * z;
        return z + (z3 + z) / (4.0 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96.0 * df * df)
                + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384.0 * df * df * df)
                + (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / (92160.0 * df * df * df * df);
    }

    /** The mean and its t interval, mean +- t_{0.975, n-1} * sd / sqrt(n). */
    public static Interval mean(double[] values) {
        int n = values.length;
        if (n == 0) {
            return new Interval(0, Double.NaN, Double.NaN, Double.NaN);
        }
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= n;
        if (n == 1) {
            return new Interval(1, mean, Double.NaN, Double.NaN);
        }
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        double half = t975(n - 1) * Math.sqrt(ss / (n - 1) / n);
        return new Interval(n, mean, mean - half, mean + half);
    }

    /** The mean over classes of each class's mean value (TorchRay's pointing-game accuracy). */
    public static double classMean(double[] values, int[] classes) {
        return classMean(values, classes, identity(values.length));
    }

    private static double classMean(double[] values, int[] classes, int[] picks) {
        Map<Integer, double[]> sums = new HashMap<>(); // class -> {sum, count}
        for (int i : picks) {
            double[] s = sums.computeIfAbsent(classes[i], k -> new double[2]);
            s[0] += values[i];
            s[1]++;
        }
        double total = 0;
        for (double[] s : sums.values()) {
            total += s[0] / s[1];
        }
        return sums.isEmpty() ? Double.NaN : total / sums.size();
    }

    /**
     * The class mean of {@code values} with a percentile-bootstrap interval: samples drawn with replacement,
     * {@link #RESAMPLES} times.
     */
    public static Interval classMeanInterval(double[] values, int[] classes) {
        int n = values.length;
        double estimate = classMean(values, classes);
        if (n < 2) {
            return new Interval(n, estimate, Double.NaN, Double.NaN);
        }
        SplittableRandom rng = new SplittableRandom(SEED);
        double[] stats = new double[RESAMPLES];
        int[] picks = new int[n];
        for (int b = 0; b < RESAMPLES; b++) {
            for (int i = 0; i < n; i++) {
                picks[i] = rng.nextInt(n);
            }
            stats[b] = classMean(values, classes, picks);
        }
        return new Interval(n, estimate, quantile(stats, 0.025), quantile(stats, 0.975));
    }

    /**
     * The paired difference of class means, {@code classMean(a) - classMean(b)} over the same samples, with a
     * percentile bootstrap that resamples the pairs together.
     */
    public static Interval pairedClassMeanInterval(double[] a, double[] b, int[] classes) {
        int n = a.length;
        double estimate = classMean(a, classes) - classMean(b, classes);
        if (n < 2) {
            return new Interval(n, estimate, Double.NaN, Double.NaN);
        }
        SplittableRandom rng = new SplittableRandom(SEED);
        double[] stats = new double[RESAMPLES];
        int[] picks = new int[n];
        for (int r = 0; r < RESAMPLES; r++) {
            for (int i = 0; i < n; i++) {
                picks[i] = rng.nextInt(n);
            }
            stats[r] = classMean(a, classes, picks) - classMean(b, classes, picks);
        }
        return new Interval(n, estimate, quantile(stats, 0.025), quantile(stats, 0.975));
    }

    /** The q-quantile with linear interpolation between order statistics (numpy's default). */
    static double quantile(double[] values, double q) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    private static int[] identity(int n) {
        int[] picks = new int[n];
        for (int i = 0; i < n; i++) {
            picks[i] = i;
        }
        return picks;
    }
}
