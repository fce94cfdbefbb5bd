package io.ucag.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.ucag.models.Model;
import io.ucag.runtime.Device;
import io.ucag.runtime.DeviceUnavailableException;
import io.ucag.runtime.Devices;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.io.NpyArray;
import io.ucag.runtime.java.JavaDevice;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Parity of every method's raw map with the torch goldens of make_cam_goldens.py (float64 references), on the
 * Java device and on OpenCL: |java - torch| <= 1e-4 |torch| + 1e-5 max|torch| per element.
 */
class MethodGoldenTest {
    private static final double RTOL = 1e-4;
    private static final double ATOL_OF_MAX = 1e-5;
    private static final MethodGolden GOLDEN = MethodGolden.load();

    /** The methods under test by golden name, with the fixture's options and awkward micro-batches. */
    static Map<String, Explainer> methods() {
        String layer = GOLDEN.layer();
        Map<String, Explainer> m = new LinkedHashMap<>();
        m.put("gradcam", new GradCam(layer));
        m.put("gradcam++", new GradCamPlusPlus(layer));
        m.put("xgradcam", new XGradCam(layer));
        m.put("layercam", new LayerCam(layer));
        m.put("hirescam", new HiResCam(layer));
        m.put("scorecam", new ScoreCam(layer, 4, ScoreCam.Scores.PROBABILITY));
        m.put("scorecam-channel-softmax", new ScoreCam(layer, 5, ScoreCam.Scores.CHANNEL_SOFTMAX));
        m.put("fullgrad", new FullGrad());
        m.put("saliency", new Saliency());
        m.put("inputxgradient", new InputXGradient());
        m.put("smoothgrad", new SmoothGrad(GOLDEN.intOption("smoothgrad-samples"),
                GOLDEN.doubleOption("smoothgrad-noise"), GOLDEN.intOption("smoothgrad-seed"), 5));
        m.put("integratedgradients", new IntegratedGradients(GOLDEN.intOption("ig-steps"), 7));
        return m;
    }

    @Test
    void everyMethodHasAGolden() {
        assertEquals(GOLDEN.maps().keySet(), methods().keySet());
    }

    @Test
    void javaMapsEqualTorch() {
        try (JavaDevice device = new JavaDevice(2)) {
            checkAll(device);
        }
    }

    @Test
    void openClMapsEqualTorch() {
        Device device;
        try {
            device = Devices.open("opencl");
        } catch (DeviceUnavailableException e) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("CI=true requires an OpenCL device, but: " + e.getMessage());
            }
            Assumptions.abort("no OpenCL device: " + e.getMessage());
            return;
        }
        try (device) {
            checkAll(device);
        }
    }

    private static void checkAll(Device device) {
        try (Model model = GOLDEN.model(device); TensorScope scope = TensorScope.open()) {
            Tensor input = GOLDEN.input().toTensor(device);
            for (Map.Entry<String, Explainer> e : methods().entrySet()) {
                try (Explanation x = e.getValue().explain(model, input, GOLDEN.targets())) {
                    assertArrayEquals(GOLDEN.maps().get(e.getKey()).shape(), x.maps().shape().dims(), e.getKey());
                    assertClose(device.name() + " " + e.getKey(), GOLDEN.maps().get(e.getKey()), x.maps().toArray());
                    assertClose(device.name() + " " + e.getKey() + " logits", GOLDEN.logits(), x.logits().toArray());
                }
            }
            for (ScoreCam.Scores scores : ScoreCam.Scores.values()) {
                String name = scores == ScoreCam.Scores.PROBABILITY ? "probability" : "channel-softmax";
                float[] weights = new ScoreCam(GOLDEN.layer(), 3, scores).channelWeights(model, input,
                        GOLDEN.targets()).toArray();
                assertClose(device.name() + " scorecam weights " + name, GOLDEN.weights().get(name), weights);
            }
        }
    }

    static void assertClose(String what, NpyArray expected, float[] actual) {
        float[] e = expected.data();
        assertEquals(e.length, actual.length, what + ": length");
        double max = 0;
        for (float v : e) {
            max = Math.max(max, Math.abs(v));
        }
        int worst = -1;
        double worstExcess = 0;
        for (int i = 0; i < e.length; i++) {
            double excess = Math.abs(actual[i] - e[i]) - (RTOL * Math.abs(e[i]) + ATOL_OF_MAX * max);
            if (!(excess <= worstExcess)) {
                worst = i;
                worstExcess = excess;
            }
        }
        if (worst >= 0) {
            fail(what + ": element " + worst + " is " + actual[worst] + ", torch gives " + e[worst]
                    + " (tolerance exceeded by " + worstExcess + ")");
        }
    }
}
