package io.ucag.runtime.golden;

import io.ucag.runtime.Device;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.io.Npy;
import io.ucag.runtime.io.NpyArray;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The PyTorch golden op cases (class-path resources under {@value #ROOT}, written by
 * runtime/src/test/fixtures/make_op_goldens.py) and the check of a device against one of them. Any backend's
 * tests can use it: {@code for (GoldenCase c : GoldenCases.load()) GoldenCases.check(device, c);}.
 */
public final class GoldenCases {
    /** Class-path folder of the manifest and its .npy files. */
    public static final String ROOT = "/golden/ops/";
    /** Tolerance: |actual - expected| <= ATOL + RTOL * |expected| (NaN must meet NaN). */
    public static final double RTOL = 1e-4;
    public static final double ATOL = 1e-5;

    private GoldenCases() {
    }

    /** All cases of the manifest, in file order; throws if the manifest is missing or malformed. */
    public static List<GoldenCase> load() {
        String manifest = ROOT + "manifest.json";
        Object root;
        try (InputStream in = GoldenCases.class.getResourceAsStream(manifest)) {
            if (in == null) {
                throw new IllegalStateException("golden manifest " + manifest + " is not on the class path; run "
                        + "/usr/bin/python3 runtime/src/test/fixtures/make_op_goldens.py");
            }
            root = MiniJson.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), manifest);
        } catch (IOException e) {
            throw new UncheckedIOException(manifest, e);
        }
        List<GoldenCase> cases = new ArrayList<>();
        for (Object o : (List<?>) ((Map<?, ?>) root).get("cases")) {
            Map<?, ?> c = (Map<?, ?>) o;
            @SuppressWarnings("unchecked")
            Map<String, Object> params = (Map<String, Object>) c.get("params");
            List<String> inputs = new ArrayList<>();
            for (Object file : (List<?>) c.get("inputs")) {
                inputs.add((String) file);
            }
            cases.add(new GoldenCase((String) c.get("name"), (String) c.get("op"), params, List.copyOf(inputs),
                    (String) c.get("output"), (String) c.get("torch")));
        }
        if (cases.isEmpty()) {
            throw new IllegalStateException(manifest + " lists no cases");
        }
        return cases;
    }

    /** One .npy file of the fixtures, by its path relative to the manifest. */
    public static NpyArray array(String file) {
        String resource = ROOT + file;
        try (InputStream in = GoldenCases.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("golden file " + resource + " is not on the class path");
            }
            return Npy.read(in, resource);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs {@code c} on {@code device} and throws an AssertionError naming the case, the PyTorch call, the
     * shapes and the worst error when the result differs from PyTorch's beyond {@link #RTOL} / {@link #ATOL}.
     */
    public static void check(Device device, GoldenCase c) {
        NpyArray expected = array(c.output());
        float[] actual;
        int[] actualShape;
        try (TensorScope scope = TensorScope.open()) {
            List<Tensor> in = new ArrayList<>();
            for (String file : c.inputs()) {
                in.add(array(file).toTensor(device));
            }
            Tensor out = c.run(device, in);
            actualShape = out.shape().dims();
            actual = out.toArray();
        } catch (RuntimeException e) { // name the case: dynamic tests report poorly in surefire's XML
            throw new AssertionError(c.name() + " (" + c.torchCall() + "): " + e, e);
        }
        if (!Arrays.equals(expected.toShape().dims(), actualShape)) {
            throw new AssertionError(c.name() + " (" + c.torchCall() + "): shape " + Arrays.toString(actualShape)
                    + ", PyTorch gives " + Arrays.toString(expected.toShape().dims()));
        }
        String mismatch = mismatch(expected.data(), actual, RTOL, ATOL);
        if (mismatch != null) {
            throw new AssertionError(c.name() + " (" + c.torchCall() + ", shape " + Arrays.toString(actualShape)
                    + "): " + mismatch);
        }
    }

    /**
     * Null when every value is within {@code atol + rtol * |expected|} (NaN only matching NaN, infinities
     * only themselves), otherwise a summary: mismatch count, max abs and rel error, the worst index.
     */
    public static String mismatch(float[] expected, float[] actual, double rtol, double atol) {
        if (expected.length != actual.length) {
            return expected.length + " values expected, got " + actual.length;
        }
        int bad = 0;
        int worst = -1;
        double worstExcess = 0;
        double maxAbs = 0;
        double maxRel = 0;
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            if (Double.isNaN(e) || Double.isNaN(a) || Double.isInfinite(e) || Double.isInfinite(a)) {
                if (Double.compare(e, a) != 0 && !(e == a)) {
                    bad++;
                    if (worst < 0 || worstExcess < Double.POSITIVE_INFINITY) {
                        worst = i;
                        worstExcess = Double.POSITIVE_INFINITY;
                    }
                    maxAbs = Double.POSITIVE_INFINITY;
                }
                continue;
            }
            double abs = Math.abs(a - e);
            maxAbs = Math.max(maxAbs, abs);
            if (abs > 0) {
                maxRel = Math.max(maxRel, abs / Math.max(Math.abs(e), Double.MIN_NORMAL));
            }
            double excess = abs - (atol + rtol * Math.abs(e));
            if (excess > 0) {
                bad++;
                if (excess > worstExcess) {
                    worst = i;
                    worstExcess = excess;
                }
            }
        }
        if (bad == 0) {
            return null;
        }
        return String.format("%d of %d values differ (rtol %.0e, atol %.0e): max abs err %.3g, max rel err %.3g; "
                        + "worst at flat index %d: expected %s, got %s", bad, expected.length, rtol, atol, maxAbs,
                maxRel, worst, expected[worst], actual[worst]);
    }
}
