package io.ucag.runtime.java;

import io.ucag.runtime.ops.ResizeMode;

/**
 * The transpose of a 1-D resampling along one axis, as a gather. The forward op computes output pixel
 * {@code o} as {@code sum_t weight(o, t) * in[index(o, t)]}; its adjoint gives source pixel {@code s} the sum
 * of {@code weight(o, t) * gradOut[o]} over every tap {@code (o, t)} with {@code index(o, t) == s}. This table
 * lists those taps per source pixel, in increasing {@code o}, so each gradient pixel is one deterministic sum
 * (no scatter, no atomics). Taps clamped or reflected onto the same pixel stay separate entries, exactly as the
 * forward reads them, so a tap clamped to the border adds onto the border pixel.
 *
 * <p>Built from the forward's own tables ({@link ResizeTaps} for resize, the reflect-padded kernel for the
 * gaussian blur), so forward and backward use the very same coefficients.
 */
public final class AdjointTaps {
    private final int sources;
    private final int[] start;    // (sources + 1): the entries of source s are [start[s], start[s + 1])
    private final int[] output;   // (entries): the output pixel of each entry
    private final float[] weight; // (entries): its forward weight

    private AdjointTaps(int sources, int[] start, int[] output, float[] weight) {
        this.sources = sources;
        this.start = start;
        this.output = output;
        this.weight = weight;
    }

    /** The forward's taps along one axis, output pixel by output pixel. */
    private interface ForwardTaps {
        int index(int out, int tap);

        float weight(int out, int tap);
    }

    /** Adjoint of a resize from {@code in} to {@code out} pixels ({@link ResizeTaps}). */
    public static AdjointTaps ofResize(ResizeMode mode, int in, int out) {
        ResizeTaps taps = ResizeTaps.of(mode, in, out);
        return transpose(in, out, taps.taps(), new ForwardTaps() {
            @Override
            public int index(int o, int t) {
                return taps.index(o, t);
            }

            @Override
            public float weight(int o, int t) {
                return taps.weight(o, t);
            }
        });
    }

    /**
     * Adjoint of torchvision's 1-D gaussian filter over {@code n} pixels with reflect padding: output {@code o}
     * reads {@code kernel[t] * in[reflect(o - half + t)]}; padded pixels fold back onto the pixels they copy.
     */
    public static AdjointTaps ofBlur(int n, float[] kernel) {
        int half = kernel.length / 2;
        if (half >= n) {
            throw new IllegalArgumentException("gaussianBlurBackward: reflect padding of " + half
                    + " needs more than " + n + " pixels");
        }
        return transpose(n, n, kernel.length, new ForwardTaps() {
            @Override
            public int index(int o, int t) {
                return JavaResampling.reflect(o - half + t, n); // the forward's border rule
            }

            @Override
            public float weight(int o, int t) {
                return kernel[t];
            }
        });
    }

    /** Counting sort of the forward taps by source pixel; stable, so each source lists outputs in order. */
    private static AdjointTaps transpose(int sources, int outputs, int taps, ForwardTaps forward) {
        int entries = outputs * taps;
        int[] start = new int[sources + 1];
        for (int o = 0; o < outputs; o++) {
            for (int t = 0; t < taps; t++) {
                start[forward.index(o, t) + 1]++;
            }
        }
        for (int s = 0; s < sources; s++) {
            start[s + 1] += start[s];
        }
        int[] next = start.clone();
        int[] output = new int[entries];
        float[] weight = new float[entries];
        for (int o = 0; o < outputs; o++) {
            for (int t = 0; t < taps; t++) {
                int e = next[forward.index(o, t)]++;
                output[e] = o;
                weight[e] = forward.weight(o, t);
            }
        }
        return new AdjointTaps(sources, start, output, weight);
    }

    /** Pixels along the axis on the forward's input side (the gradient's output side). */
    public int sources() {
        return sources;
    }

    /** Entries of source pixel {@code s} are {@code [first(s), first(s + 1))}; {@code first(sources())} is all. */
    public int first(int s) {
        return start[s];
    }

    public int output(int entry) {
        return output[entry];
    }

    public float weight(int entry) {
        return weight[entry];
    }

    /**
     * The table as one float array for upload to a device without int tensors, laid out as
     * {@code [start (sources + 1) | output (entries) | weight (entries)]}; indices are exact (below 2^24).
     */
    public float[] packed() {
        int entries = start[sources];
        if (entries >= 1 << 24) {
            throw new IllegalStateException("resampling adjoint: " + entries + " taps exceed float-exact indices");
        }
        float[] p = new float[sources + 1 + 2 * entries];
        for (int s = 0; s <= sources; s++) {
            p[s] = start[s];
        }
        for (int e = 0; e < entries; e++) {
            p[sources + 1 + e] = output[e];
            p[sources + 1 + entries + e] = weight[e];
        }
        return p;
    }
}
