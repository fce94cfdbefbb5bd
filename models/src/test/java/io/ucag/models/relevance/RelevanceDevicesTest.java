package io.ucag.models.relevance;

import io.ucag.models.Model;
import io.ucag.models.ModelSpec;
import io.ucag.models.Preprocessing;
import io.ucag.models.TestDevices;
import io.ucag.runtime.Device;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The OpenCL device gives the Java device's relevance (1e-4 of the map's scale) for every composite on small
 * VGG-like and ResNet-like networks with biases, the layer relevances included, and LRP-0 = Gradient x Input there.
 */
class RelevanceDevicesTest {
    private static final Device JAVA = TestDevices.device("java");

    private static Map<String, float[]> run(Device d, ModelSpec spec, String composite, List<String> layers) {
        try (Model m = SmallNets.load(spec, d, 21, true); TensorScope scope = TensorScope.open()) {
            Tensor x = SmallNets.upload(d, SmallNets.images(8, 2));
            Composite c = Composites.create(composite, Preprocessing.TORCHVISION);
            if (composite.equals("epsilon-plus")) {
                c = c.withMaxPool(MaxPoolRule.PROPORTIONAL);
            }
            try (Relevance r = RelevancePass.run(m, x, Seed.targetLogit(new int[] {2, 0}), c, layers)) {
                Map<String, float[]> out = new LinkedHashMap<>();
                out.put("input", r.input().toArray());
                for (String l : layers) {
                    out.put(l, r.at(l).toArray());
                }
                return out;
            }
        }
    }

    @Test
    void openClEqualsJavaForEveryComposite() {
        Device cl = TestDevices.openCl();
        for (boolean residual : new boolean[] {false, true}) {
            ModelSpec spec = residual ? SmallNets.resnet() : SmallNets.vgg();
            List<String> layers = residual ? List.of("layer1.0", "layer2.0.conv1", "fc") : List.of("features.3",
                    "classifier.0");
            for (String composite : Composites.NAMES) {
                Map<String, float[]> expected = run(JAVA, spec, composite, layers);
                Map<String, float[]> actual = run(cl, spec, composite, layers);
                for (String key : expected.keySet()) {
                    SmallNets.assertClose(expected.get(key), actual.get(key), 1e-4,
                            spec.architecture() + " " + composite + " " + key);
                }
            }
        }
    }

    @Test
    void lrp0EqualsGradientTimesInputOnOpenCl() {
        Device cl = TestDevices.openCl();
        Composite lrp0 = Composites.create("lrp0", Preprocessing.TORCHVISION);
        for (boolean residual : new boolean[] {false, true}) {
            try (Model m = SmallNets.load(residual ? SmallNets.resnet() : SmallNets.vgg(), cl, 33, false)) {
                float[] x = SmallNets.images(34, 2);
                int[] targets = {4, 2};
                SmallNets.assertClose(SmallNets.gradientTimesInput(m, x, targets),
                        SmallNets.relevance(m, x, targets, lrp0), 1e-4, "OpenCL LRP-0 vs gradient x input");
            }
        }
    }
}
