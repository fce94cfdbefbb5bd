package io.ucag.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The architecture check of {@code convert --arch} (its resource is checked against the layer trees in models). */
class ArchitecturesTest {

    static Architectures.Layout layout(String architecture, String layout) {
        return Architectures.layouts().stream()
                .filter(l -> l.architecture().equals(architecture) && l.layout().equals(layout)).findFirst()
                .orElseThrow();
    }

    /** Zero tensors with the layout's names and shapes. */
    static WeightSet zeros(Architectures.Layout layout) {
        WeightSet set = new WeightSet();
        layout.shapes().forEach((name, shape) -> set.add(new NamedTensor(name, shape,
                new float[(int) NamedTensor.numel(shape)])));
        return set;
    }

    @Test
    void listsEveryArchitectureOnce() {
        assertEquals(List.of("resnet50-keras", "resnet18", "resnet34", "resnet50", "resnet101", "resnet152", "vgg11",
                "vgg13", "vgg16", "vgg19", "vgg11_bn", "vgg13_bn", "vgg16_bn", "vgg19_bn"), Architectures.names());
        Architectures.Layout resnet18 = layout("resnet18", "torchvision");
        assertEquals(102, resnet18.shapes().size()); // 20 convs, 20 BNs x 4, fc weight and bias
        assertEquals("[1000, 512]", java.util.Arrays.toString(resnet18.shapes().get("fc.weight")));
        assertEquals("torchvision-rgb-mean-std", resnet18.preprocessing());
        assertEquals("caffe-bgr-mean", layout("resnet50-keras", "keras").preprocessing());
    }

    @Test
    void acceptsExactlyTheTensorsOfTheArchitecturePlusBatchNormCounters() {
        WeightSet set = zeros(layout("resnet18", "torchvision"));
        set.add(new NamedTensor("bn1.num_batches_tracked", new int[0], new float[] {7}, DType.I64));
        assertEquals("torchvision", Architectures.check("resnet18", set).layout());
    }

    @Test
    void resnet50KerasAcceptsTorchvisionOrKerasNames() {
        assertEquals("keras", Architectures.check("resnet50-keras", zeros(layout("resnet50-keras", "keras")))
                .layout());
        assertEquals("torchvision", Architectures.check("resnet50-keras",
                zeros(layout("resnet50-keras", "torchvision"))).layout());
        WeightSet keras = zeros(layout("resnet50-keras", "keras"));
        WeightSet wrong = new WeightSet();
        keras.tensors().forEach(t -> wrong.add(t.name().equals("fc1000/kernel")
                ? new NamedTensor(t.name(), new int[] {1000, 2048}, t.data()) : t));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Architectures.check("resnet50-keras", wrong));
        assertEquals("resnet50-keras (keras names): tensor 'fc1000/kernel': expected shape (2048,1000), found"
                + " (1000,2048)", e.getMessage());
    }

    @Test
    void eachMismatchIsOneErrorNamingTheTensor() {
        Map<String, String> expected = Map.of(
                "missing", "resnet18: the weights lack 1 tensor(s), e.g. 'fc.bias' (1000): are they for another"
                        + " architecture?",
                "extra", "resnet18: the weights hold 1 unexpected tensor(s), e.g. 'fc2.weight': are they for another"
                        + " architecture?",
                "shape", "resnet18: tensor 'fc.weight': expected shape (1000,512), found (10,512)");
        for (String kind : expected.keySet()) {
            WeightSet set = new WeightSet();
            for (NamedTensor t : zeros(layout("resnet18", "torchvision")).tensors()) {
                if (kind.equals("missing") && t.name().equals("fc.bias")) {
                    continue;
                }
                set.add(kind.equals("shape") && t.name().equals("fc.weight")
                        ? new NamedTensor(t.name(), new int[] {10, 512}, new float[10 * 512]) : t);
            }
            if (kind.equals("extra")) {
                set.add(new NamedTensor("fc2.weight", new int[] {1}, new float[1]));
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Architectures.check("resnet18", set), kind);
            assertEquals(expected.get(kind), e.getMessage());
        }
    }

    @Test
    void anotherArchitecturesWeightsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Architectures.check("resnet34", zeros(layout("resnet18", "torchvision")))); // 8 more blocks
        assertEquals("resnet34: the weights lack 80 tensor(s), e.g. 'layer1.2.bn1.bias' (64): are they for another"
                + " architecture?", e.getMessage());
        IllegalArgumentException u = assertThrows(IllegalArgumentException.class,
                () -> Architectures.check("alexnet", new WeightSet()));
        assertTrue(u.getMessage().startsWith("unknown architecture 'alexnet'; known: resnet50-keras, resnet18,"),
                u.getMessage());
    }

    @Test
    void parsesHeadersAndShapesAndRejectsOtherLines() throws Exception {
        List<Architectures.Layout> parsed = Architectures.parse(new BufferedReader(new StringReader("""
                # comment
                architecture tiny layout torchvision preprocessing p
                a.weight 2x3
                a.bias 2
                architecture tiny layout keras preprocessing p
                a/kernel 3x2
                """)));
        assertEquals(2, parsed.size());
        assertEquals(List.of("a.weight", "a.bias"), List.copyOf(parsed.get(0).shapes().keySet()));
        assertEquals("[3, 2]", java.util.Arrays.toString(parsed.get(1).shapes().get("a/kernel")));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Architectures.parse(
                new BufferedReader(new StringReader("a.weight 2x3\n"))));
        assertEquals("architectures.txt: cannot read line 'a.weight 2x3'", e.getMessage());
    }
}
