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
import io.ucag.runtime.java.JavaDevice;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Parity of the relative relevance methods with the independent torch implementation of make_relative_goldens.py
 * (float64 references) on a VGG-like and a ResNet-like net with BatchNorm, on the Java device and on OpenCL:
 * |java - torch| <= 1e-4 |torch| + 1e-5 max|torch| per element.
 */
class RelativeGoldenTest {
    /** The methods under test by golden name. */
    static Map<String, Explainer> methods() {
        Map<String, Explainer> m = new LinkedHashMap<>();
        m.put("rap", new Rap());
        m.put("rsp", new Rsp(null));
        m.put("agf", new Agf());
        return m;
    }

    @ParameterizedTest
    @ValueSource(strings = {"vgg", "resnet"})
    void everyMethodHasAGolden(String net) {
        assertEquals(methods().keySet(), RelativeGolden.load(net).maps().keySet());
    }

    @ParameterizedTest
    @ValueSource(strings = {"vgg", "resnet"})
    void javaMapsEqualTorch(String net) {
        try (JavaDevice device = new JavaDevice(2)) {
            check(RelativeGolden.load(net), device);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"vgg", "resnet"})
    void openClMapsEqualTorch(String net) {
        try (Device device = openCl()) {
            check(RelativeGolden.load(net), device);
        }
    }

    /** The OpenCL device; a skip without one, a failure under CI=true (as MethodGoldenTest). */
    static Device openCl() {
        try {
            return Devices.open("opencl");
        } catch (DeviceUnavailableException e) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("CI=true requires an OpenCL device, but: " + e.getMessage());
            }
            Assumptions.abort("no OpenCL device: " + e.getMessage());
            return null;
        }
    }

    private static void check(RelativeGolden golden, Device device) {
        try (Model model = golden.model(device); TensorScope scope = TensorScope.open()) {
            Tensor input = golden.input().toTensor(device);
            for (Map.Entry<String, Explainer> e : methods().entrySet()) {
                String what = device.name() + " " + golden.net() + " " + e.getKey();
                try (Explanation x = e.getValue().explain(model, input, golden.targets())) {
                    assertArrayEquals(golden.maps().get(e.getKey()).shape(), x.maps().shape().dims(), what);
                    MethodGoldenTest.assertClose(what, golden.maps().get(e.getKey()), x.maps().toArray());
                    MethodGoldenTest.assertClose(what + " logits", golden.logits(), x.logits().toArray());
                }
            }
        }
    }
}
