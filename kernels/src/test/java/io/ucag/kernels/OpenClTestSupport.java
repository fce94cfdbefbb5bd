package io.ucag.kernels;

import static org.junit.jupiter.api.Assertions.fail;

import io.ucag.kernels.opencl.ClDevice;
import io.ucag.runtime.DeviceUnavailableException;
import io.ucag.runtime.Shape;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;

/**
 * Shared OpenCL device and comparison helpers for kernel tests. Without an OpenCL device a test is skipped
 * with the reason, except under {@code CI=true}, where that is a failure: CI must exercise every kernel.
 */
public final class OpenClTestSupport {
    private static ClDevice device;
    private static String unavailable;

    private OpenClTestSupport() {
    }

    /** The shared OpenCL device (opened once, never closed: the JVM exit frees it). */
    public static synchronized ClDevice device() {
        if (device == null && unavailable == null) {
            try {
                device = ClDevice.open();
            } catch (DeviceUnavailableException e) {
                unavailable = e.getMessage();
            }
        }
        if (device == null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("CI=true requires an OpenCL device, but: " + unavailable);
            }
            Assumptions.abort("no OpenCL device: " + unavailable);
        }
        return device;
    }

    /** Uniform values in [-1, 1). */
    public static float[] random(Random rng, Shape shape) {
        float[] v = new float[shape.numel()];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextFloat() * 2 - 1;
        }
        return v;
    }

    /**
     * Asserts {@code |actual - expected| <= atol + rtol * |expected|} element by element (NaN matches NaN,
     * infinities must match exactly), reporting the worst element.
     */
    public static void assertClose(String what, float[] expected, float[] actual, double rtol, double atol) {
        if (expected.length != actual.length) {
            fail(what + ": expected " + expected.length + " values, got " + actual.length);
        }
        int worst = -1;
        double worstExcess = 0;
        for (int i = 0; i < expected.length; i++) {
            float e = expected[i];
            float a = actual[i];
            if (Float.isNaN(e) || Float.isNaN(a) || Float.isInfinite(e) || Float.isInfinite(a)) {
                if (!(Float.isNaN(e) && Float.isNaN(a)) && e != a) {
                    fail(what + ": element " + i + " expected " + e + " got " + a);
                }
                continue;
            }
            double excess = Math.abs((double) a - e) - (atol + rtol * Math.abs(e));
            if (excess > worstExcess) {
                worstExcess = excess;
                worst = i;
            }
        }
        if (worst >= 0) {
            fail(what + ": element " + worst + " of " + expected.length + " expected " + expected[worst] + " got "
                    + actual[worst] + " (rtol " + rtol + ", atol " + atol + ")");
        }
    }
}
