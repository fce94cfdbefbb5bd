package io.ucag.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.ucag.runtime.Shape;
import io.ucag.runtime.io.NpyArray;

/** The torch-golden tests' comparison: a relative tolerance plus an absolute one scaled by the largest reference. */
final class GoldenAssert {
    private GoldenAssert() {
    }

    /** The largest magnitude in {@code values}. */
    static double maxAbs(float[] values) {
        double max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    /**
     * |actual - expected| <= rtol |expected| + atolOfMax max|expected| everywhere (NaN fails), reporting the worst
     * {@code element} (e.g. "element", "logit").
     */
    static void assertClose(String what, String element, NpyArray expected, float[] actual, double rtol,
                            double atolOfMax) {
        float[] e = expected.data();
        assertEquals(e.length, actual.length, what + ": element count " + Shape.of(expected.shape()));
        double atol = atolOfMax * maxAbs(e);
        int worst = -1;
        double worstExcess = 0;
        for (int i = 0; i < e.length; i++) {
            double excess = Math.abs((double) actual[i] - e[i]) - (atol + rtol * Math.abs(e[i]));
            if (!(excess <= worstExcess)) { // NaN counts as a failure
                worstExcess = Double.isNaN(excess) ? Double.POSITIVE_INFINITY : excess;
                worst = i;
            }
        }
        if (worst >= 0) {
            fail(what + " " + Shape.of(expected.shape()) + ": " + element + " " + worst + " expected " + e[worst]
                    + " got " + actual[worst] + " (rtol " + rtol + ", atol " + atol + ")");
        }
    }
}
