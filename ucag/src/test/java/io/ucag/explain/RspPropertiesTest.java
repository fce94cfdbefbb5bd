package io.ucag.explain;

import static io.ucag.explain.RelativePhotos.input;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.explain.relative.RelevanceObserver;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties of RSP on the nets of {@link RelativeNets} (golden weights, photo-like inputs): the seed is Grad-CAM's
 * channel contributions scaled to a largest magnitude of 1, relevance is conserved from it down to the map (each
 * layer outside a residual block carries the seed's sum), OpenCL equals Java, and bad start layers get one clear
 * error.
 */
class RspPropertiesTest extends RelativeNetsProperties {
    @Property(tries = 8)
    void relevanceIsConservedFromTheSeedToTheMap(@ForAll("nets") String net, @ForAll long seed,
                                                 @ForAll @IntRange(min = 0, max = 4) int target) {
        Map<String, float[]> seen = new LinkedHashMap<>();
        RelevanceObserver observer = (layer, relevance) -> seen.putIfAbsent(layer, relevance.toArray());
        float[] map;
        try (TensorScope scope = TensorScope.open();
             Explanation x = new Rsp(null).explain(nets.model(net), input(device, net, seed, 1), new int[] {target},
                     observer)) {
            map = x.maps().toArray();
        }
        String start = nets.model(net).spec().defaultCamLayer();
        assertEquals(start, seen.keySet().iterator().next(), "the seed comes first");
        float[] seedValues = seen.get(start);
        double largest = 0;
        double seedSum = 0;
        for (float v : seedValues) {
            largest = Math.max(largest, Math.abs(v));
            seedSum += v;
        }
        assertEquals(1, largest, 1e-6, "the seed's largest magnitude");
        double tolerance = 1e-4 * (Math.abs(seedSum) + 1);
        List<String> topLevel = net.equals("vgg") ? List.of("features.4", "features.3", "features.0")
                : List.of("layer2.0", "layer1.0", "maxpool", "conv1");
        for (String layer : topLevel) {
            double sum = 0;
            for (float v : seen.get(layer)) {
                sum += v;
            }
            assertEquals(seedSum, sum, tolerance, net + ": relevance at the input of " + layer);
        }
        double mapSum = 0;
        for (float v : map) {
            mapSum += v;
        }
        assertEquals(seedSum, mapSum, tolerance, net + ": the map");
    }

    @Example
    void openClEqualsJavaOnRandomPhotos() {
        nets.assertOpenClEqualsJava(new Rsp(null), 78, new int[] {4, 2});
    }

    @Example
    void badStartLayersGetOneClearError() {
        try (TensorScope scope = TensorScope.open()) {
            Tensor x = input(device, "resnet", 3, 1);
            IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                    () -> new Rsp("nope").explain(nets.model("resnet"), x, new int[] {0}));
            assertTrue(unknown.getMessage().contains("'nope'"), unknown.getMessage());
            IllegalArgumentException inside = assertThrows(IllegalArgumentException.class,
                    () -> new Rsp("layer2.0.conv2").explain(nets.model("resnet"), x, new int[] {0}));
            assertTrue(inside.getMessage().contains("'layer2.0.conv2' outside a residual block")
                    && inside.getMessage().contains("layer1"), inside.getMessage());
        }
    }
}
