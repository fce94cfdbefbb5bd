package io.ucag.runtime.relevance;

import io.ucag.runtime.Device;
import io.ucag.runtime.Tensor;

/** Positive and negative parts of inputs and parameters, the modifiers that the rules share. */
final class Parts {
    private Parts() {
    }

    /** {@code max(t, 0)}; null stays null (an absent bias). */
    static Tensor positive(Device d, Tensor t) {
        return t == null ? null : d.clamp(t, 0f, Float.POSITIVE_INFINITY);
    }

    /** {@code min(t, 0)}; null stays null. */
    static Tensor negative(Device d, Tensor t) {
        return t == null ? null : d.clamp(t, Float.NEGATIVE_INFINITY, 0f);
    }

    /**
     * {@link #positive} of a layer's weight or bias, made once and kept with it ({@link Tensor#derived}): a model's
     * parameters outlive the passes that ask for their parts again.
     */
    static Tensor positiveParameter(Device d, Tensor t) {
        return t == null ? null : t.derived("positive part", () -> positive(d, t));
    }

    /** {@link #negative} of a layer's weight or bias, kept like {@link #positiveParameter}. */
    static Tensor negativeParameter(Device d, Tensor t) {
        return t == null ? null : t.derived("negative part", () -> negative(d, t));
    }

    /** {@code t + gamma * part}; null stays null. */
    static Tensor plusScaled(Device d, Tensor t, float gamma, Tensor part) {
        return t == null ? null : d.add(t, d.scale(part, gamma));
    }

    /** {@code a + b} where either may be null (an absent term). */
    static Tensor sum(Device d, Tensor a, Tensor b) {
        return a == null ? b : b == null ? a : d.add(a, b);
    }

    /** A tensor of ones of {@code x}'s shape. */
    static Tensor onesLike(Device d, Tensor x) {
        try (Tensor zero = d.zeros(x.shape())) {
            return Stabilizer.oneMinus(d, zero);
        }
    }
}
