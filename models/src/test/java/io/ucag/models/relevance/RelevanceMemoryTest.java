package io.ucag.models.relevance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ucag.kernels.opencl.ClDevice;
import io.ucag.models.Model;
import io.ucag.models.Preprocessing;
import io.ucag.models.TestDevices;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Relevance passes of every composite, with layer relevances, and layer gradients give back every native buffer:
 * after closing them (and the model) the OpenCL device's live bytes are where they started.
 */
class RelevanceMemoryTest {
    @Test
    void passesAndLayerGradientsLeaveNoLiveBuffer() {
        ClDevice d = (ClDevice) TestDevices.openCl();
        long before = d.liveBytes();
        try (Model m = SmallNets.load(SmallNets.resnet(), d, 3, true)) {
            for (String name : Composites.NAMES) {
                try (TensorScope scope = TensorScope.open()) {
                    Tensor x = SmallNets.upload(d, SmallNets.images(4, 2));
                    Composite c = Composites.create(name, Preprocessing.TORCHVISION)
                            .withMaxPool(MaxPoolRule.PROPORTIONAL);
                    try (Relevance r = RelevancePass.run(m, x, Seed.targetLogit(new int[] {1, 2}), c,
                            List.of("layer1.0", "layer3", "fc"));
                         LayerGradients g = LayerGradients.of(m, x, Seed.targetLogit(new int[] {1, 2}),
                                 List.of("layer2", "avgpool"))) {
                        r.input().toArray();
                        g.input().toArray();
                    }
                }
            }
        }
        assertEquals(before, d.liveBytes(), "bytes still held after everything was closed");
    }
}
