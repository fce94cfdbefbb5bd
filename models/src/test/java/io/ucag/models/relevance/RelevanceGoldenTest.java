package io.ucag.models.relevance;

import io.ucag.models.Model;
import io.ucag.models.ModelSpec;
import io.ucag.models.Parameters;
import io.ucag.models.Preprocessing;
import io.ucag.models.TestBlocks;
import io.ucag.models.TestDevices;
import io.ucag.models.layers.Layer;
import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.golden.GoldenManifest;
import io.ucag.runtime.io.NpyArray;
import io.ucag.runtime.ops.Conv2dParams;
import io.ucag.runtime.ops.Pool2dParams;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Golden parity with the independent PyTorch LRP of {@code models/src/test/fixtures/make_lrp_goldens.py} (float64,
 * autograd "gradient trick"): the input relevance (N,3,H,W) of the {@code epsilon} and {@code alpha1-beta0}
 * composites on a VGG-like and a ResNet-like network with BatchNorm and biases, on both devices.
 */
class RelevanceGoldenTest {
    /** The fixture's ResNet-like net: stem, an identity block, a projection block, global pool, fc. */
    static ModelSpec resnet() {
        List<Layer> top = new ArrayList<>();
        top.add(new Layer.Conv2d("conv1", 3, 4, 3, 3, Conv2dParams.of(1, 1), false));
        top.add(new Layer.BatchNorm2d("bn1", 4, 1e-5f));
        top.add(new Layer.ReLU("relu"));
        top.add(new Layer.MaxPool2d("maxpool", Pool2dParams.of(2, 2, 0)));
        top.add(new Layer.Sequential("layer1", List.of(TestBlocks.basicBlock("layer1.0", 4, 4, 1))));
        top.add(new Layer.Sequential("layer2", List.of(TestBlocks.basicBlock("layer2.0", 4, 8, 2))));
        top.add(new Layer.AdaptiveAvgPool2d("avgpool", 1, 1));
        top.add(new Layer.Flatten("flatten"));
        top.add(new Layer.Linear("fc", 8, SmallNets.CLASSES));
        return new ModelSpec("golden-resnet", new Layer.Sequential("", top), SmallNets.SIDE,
                Preprocessing.TORCHVISION, SmallNets.CLASSES, "layer2");
    }

    private record Golden(Map<String, NpyArray> tensors, int[] targets) {
        NpyArray get(String name) {
            NpyArray a = tensors.get(name);
            if (a == null) {
                throw new IllegalStateException("golden " + name + " is missing: run make_lrp_goldens.py");
            }
            return a;
        }

        Model model(String net, ModelSpec spec, Device d) {
            Map<String, NpyArray> params = new LinkedHashMap<>();
            tensors.forEach((k, v) -> {
                if (k.startsWith("param:" + net + ".")) {
                    params.put(k.substring(("param:" + net + ".").length()), v);
                }
            });
            return Model.load(spec, Parameters.of(GoldenManifest.shapes(params), GoldenManifest.values(params)), d);
        }
    }

    private static Golden load() {
        GoldenManifest golden = new GoldenManifest("/golden/lrp/", "make_lrp_goldens.py");
        Map<String, NpyArray> tensors = new LinkedHashMap<>();
        List<Integer> targets = new ArrayList<>();
        for (String[] f : golden.lines()) {
            if (f[0].equals("target")) {
                targets.add(Integer.parseInt(f[2]));
            } else {
                tensors.put(f[0] + ":" + f[1], golden.npy(f[2]));
            }
        }
        return new Golden(tensors, targets.stream().mapToInt(Integer::intValue).toArray());
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "opencl"})
    void matchesTheTorchReference(String kind) {
        Device d = TestDevices.device(kind);
        Golden g = load();
        NpyArray input = g.get("tensor:input");
        for (String net : List.of("vgg", "resnet")) {
            ModelSpec spec = net.equals("vgg") ? SmallNets.vgg() : resnet();
            try (Model m = g.model(net, spec, d); TensorScope scope = TensorScope.open()) {
                Tensor x = d.fromArray(Shape.of(input.shape()), input.data());
                SmallNets.assertClose(g.get("logits:" + net + ".logits").data(), m.forward(x).toArray(), 1e-5,
                        net + " logits");
                for (String composite : List.of("epsilon", "alpha1-beta0")) {
                    Composite c = Composites.create(composite, Preprocessing.TORCHVISION);
                    try (Relevance r = RelevancePass.run(m, x, Seed.targetLogit(g.targets()), c)) {
                        SmallNets.assertClose(g.get("relevance:" + net + "." + composite).data(), r.input().toArray(),
                                1e-4, kind + " " + net + " " + composite);
                    }
                }
            }
        }
    }
}
