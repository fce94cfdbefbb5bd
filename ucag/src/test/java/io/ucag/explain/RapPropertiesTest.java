package io.ucag.explain;

import static io.ucag.explain.RelativePhotos.input;
import static io.ucag.explain.RelativePhotos.photos;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.explain.relative.RelevanceObserver;
import io.ucag.models.Model;
import io.ucag.models.ModelSpec;
import io.ucag.models.Preprocessing;
import io.ucag.models.layers.Layer;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.ops.Conv2dParams;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties of RAP from its paper on the nets of {@link RelativeNets} (golden weights, random photos-like inputs):
 * relevance is conserved layer by layer (every layer's input relevance sums to the target logit, bias included,
 * thanks to the absolute-influence seed and the uniform shift), dead neurons get none, maps are bipolar, a batch
 * item is explained as if alone, and OpenCL equals Java.
 */
class RapPropertiesTest extends RelativeNetsProperties {
    private static double[] itemSums(float[] values, int items) {
        double[] sums = new double[items];
        int per = values.length / items;
        for (int i = 0; i < values.length; i++) {
            sums[i / per] += values[i];
        }
        return sums;
    }

    @Property(tries = 10)
    void everyLayerConservesTheTargetLogit(@ForAll("nets") String net, @ForAll long seed,
                                           @ForAll @IntRange(min = 0, max = 4) int target) {
        int[] targets = {target, (target + 2) % RelativeNets.CLASSES};
        Map<String, double[]> sums = new LinkedHashMap<>();
        RelevanceObserver observer = (layer, relevance) -> sums.put(layer, itemSums(relevance.toArray(), 2));
        float[] logits;
        try (TensorScope scope = TensorScope.open();
             Explanation x = new Rap().explain(nets.model(net), input(device, net, seed, 2), targets, observer)) {
            logits = x.logits().toArray();
            sums.put("map", itemSums(x.maps().toArray(), 2));
        }
        List<String> all = net.equals("vgg")
                ? List.of("classifier.4", "classifier.1", "classifier.0", "flatten", "avgpool", "features.7",
                        "features.4", "features.3", "features.0", "map")
                : List.of("fc", "flatten", "avgpool", "layer2.0.conv3", "layer2.0.conv2", "layer2.0.conv1",
                        "layer2.0.downsample.0", "layer2.0", "layer1.0.conv2", "layer1.0.conv1", "layer1.0", "maxpool",
                        "conv1", "map");
        assertEquals(all, List.copyOf(sums.keySet()), "layers crossed, in order");
        for (int n = 0; n < 2; n++) {
            double y = logits[n * RelativeNets.CLASSES + targets[n]];
            double tolerance = 1e-4 * (Math.abs(y) + 1e-2);
            String item = net + " item " + n + " at the input of ";
            for (String layer : all) {
                if (!layer.contains(".0.")) { // inside a residual block only the branch's share is conserved
                    assertEquals(y, sums.get(layer)[n], tolerance, item + layer);
                }
            }
            if (net.equals("resnet")) {
                double body = sums.get("layer2.0.conv3")[n];
                assertEquals(body, sums.get("layer2.0.conv2")[n], tolerance, item + "layer2.0.conv2");
                assertEquals(body, sums.get("layer2.0.conv1")[n], tolerance, item + "layer2.0.conv1");
                assertEquals(y, body + sums.get("layer2.0.downsample.0")[n], tolerance, item + "layer2.0 branches");
                assertEquals(sums.get("layer1.0.conv2")[n], sums.get("layer1.0.conv1")[n], tolerance,
                        item + "layer1.0.conv1");
            }
        }
    }

    @Property(tries = 6)
    void deadNeuronsGetNoRelevanceAndLiveOnesMostlySome(@ForAll long seed) {
        Model model = nets.model("vgg");
        float[][] activation = new float[1][];
        float[][] relevance = new float[1][];
        try (TensorScope scope = TensorScope.open()) {
            Tensor images = input(device, "vgg", seed, 1);
            model.forward(device, images, (name, out) -> {
                if (name.equals("features.3")) {
                    activation[0] = out.toArray(); // the input of features.4
                }
            });
            new Rap().explain(model, images, new int[] {2}, (layer, r) -> {
                if (layer.equals("features.4")) {
                    relevance[0] = r.toArray();
                }
            }).close();
        }
        int dead = 0;
        int live = 0;
        int liveWithRelevance = 0;
        for (int i = 0; i < activation[0].length; i++) {
            if (activation[0][i] == 0) {
                dead++;
                assertTrue(relevance[0][i] == 0, "dead neuron " + i + " has relevance " + relevance[0][i]);
            } else {
                live++;
                liveWithRelevance += relevance[0][i] != 0 ? 1 : 0;
            }
        }
        assertTrue(dead > 0 && live > 0, dead + " dead, " + live + " live");
        assertTrue(liveWithRelevance > live / 2, liveWithRelevance + " of " + live + " live neurons have relevance");
    }

    @Example
    void mapsAreBipolarAndEachItemIsExplainedAsIfAlone() {
        for (String net : List.of("vgg", "resnet")) {
            try (TensorScope scope = TensorScope.open()) {
                float[] both = new Rap().explain(nets.model(net), input(device, net, 5, 2), new int[] {0, 4})
                        .maps().toArray();
                int plane = both.length / 2;
                for (int n = 0; n < 2; n++) {
                    int positive = 0;
                    int negative = 0;
                    for (int i = n * plane; i < (n + 1) * plane; i++) {
                        positive += both[i] > 0 ? 1 : 0;
                        negative += both[i] < 0 ? 1 : 0;
                    }
                    assertTrue(positive > 0 && negative > 0,
                            net + " item " + n + ": " + positive + " positive, " + negative + " negative of " + plane);
                }
                Tensor second = device.slice(input(device, net, 5, 2), 0, 1, 1);
                float[] alone = new Rap().explain(nets.model(net), second, new int[] {4}).maps().toArray();
                for (int i = 0; i < plane; i++) {
                    assertEquals(both[plane + i], alone[i], 1e-5 * (Math.abs(alone[i]) + 1e-3), net + " pixel " + i);
                }
            }
        }
    }

    @Example
    void openClEqualsJavaOnRandomPhotos() {
        nets.assertOpenClEqualsJava(new Rap(), 77, new int[] {1, 3, 0});
    }

    @Example
    void badModelsAndTargetsGetOneClearError() {
        ModelSpec loneBatchNorm = new ModelSpec("lone-bn", new Layer.Sequential("", List.of(
                new Layer.Conv2d("c", 3, 4, 3, 3, Conv2dParams.of(1, 1), true), new Layer.ReLU("r"),
                new Layer.BatchNorm2d("bn", 4, 1e-5f), new Layer.AdaptiveAvgPool2d("pool", 1, 1),
                new Layer.Flatten("flat"), new Layer.Linear("fc", 4, 2))), 8, Preprocessing.TORCHVISION, 2, "r");
        ModelSpec noClassifier = new ModelSpec("no-fc", new Layer.Sequential("", List.of(
                new Layer.Conv2d("c", 3, 2, 3, 3, Conv2dParams.of(1, 1), true),
                new Layer.AdaptiveAvgPool2d("pool", 1, 1), new Layer.Flatten("flat"))), 8,
                Preprocessing.TORCHVISION, 2, "c");
        try (TensorScope scope = TensorScope.open(); Model lone = TinyModels.load(loneBatchNorm, device, 1);
             Model conv = TinyModels.load(noClassifier, device, 1)) {
            Tensor x = device.fromArray(Shape.of(1, 3, 8, 8), photos(1, 1, 8, 8));
            IllegalArgumentException bn = assertThrows(IllegalArgumentException.class,
                    () -> new Rap().explain(lone, x, new int[] {0}));
            assertTrue(bn.getMessage().contains("'bn'") && bn.getMessage().contains("Conv2d"), bn.getMessage());
            IllegalArgumentException top = assertThrows(IllegalArgumentException.class,
                    () -> new Rap().explain(conv, x, new int[] {0}));
            assertTrue(top.getMessage().startsWith("rap: no-fc must end in a linear layer"), top.getMessage());
            IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                    () -> new Rap().explain(nets.model("vgg"), input(device, "vgg", 1, 2), new int[] {1}));
            assertTrue(count.getMessage().startsWith("rap: 1 targets for a batch of 2"), count.getMessage());
        }
    }
}
