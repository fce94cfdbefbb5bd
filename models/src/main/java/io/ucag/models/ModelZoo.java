package io.ucag.models;

import io.ucag.models.arch.ResNet;
import io.ucag.models.arch.Vgg;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The architectures ucag knows by name, with their default target layers and preprocessing.
 *
 * <p>The static methods cover the built-in architectures and are pure functions. A zoo <em>instance</em> adds
 * architectures of its own ({@link #with}), e.g. a small network for tests or a plug-in: {@link #BUILT_IN} knows
 * only the built-ins, {@code BUILT_IN.with(spec)} returns a new zoo that also knows {@code spec}. Instances are
 * immutable and may be shared by threads; there is no global registry.
 */
public final class ModelZoo {
    /** Names accepted by {@link #spec}, in the order help texts list them. */
    public static final List<String> NAMES = List.of("resnet50-keras", "resnet18", "resnet34", "resnet50",
            "resnet101", "resnet152", "vgg11", "vgg13", "vgg16", "vgg19", "vgg11_bn", "vgg13_bn", "vgg16_bn",
            "vgg19_bn");

    /** The zoo of the built-in architectures alone. */
    public static final ModelZoo BUILT_IN = new ModelZoo(Map.of());

    private final Map<String, ModelSpec> added; // lower-case architecture name -> spec

    private ModelZoo(Map<String, ModelSpec> added) {
        this.added = Map.copyOf(added);
    }

    /**
     * A zoo that also loads {@code spec} by its name, {@code spec.architecture()} (case-insensitive); this zoo is
     * unchanged. Built-in names are refused, and so is a name this zoo already has.
     */
    public ModelZoo with(ModelSpec spec) {
        String n = spec.architecture().toLowerCase(Locale.ROOT);
        if (NAMES.contains(n) || n.startsWith("resnet") || n.startsWith("vgg")) {
            throw new IllegalArgumentException("'" + spec.architecture() + "' is a built-in architecture name");
        }
        if (added.containsKey(n)) {
            throw new IllegalArgumentException("this zoo already has an architecture '" + spec.architecture() + "'");
        }
        Map<String, ModelSpec> more = new HashMap<>(added);
        more.put(n, spec);
        return new ModelZoo(more);
    }

    /** The spec of an architecture this zoo added, else of a built-in one with ImageNet's 1000 classes. */
    public ModelSpec resolve(String name) {
        ModelSpec own = added.get(name.toLowerCase(Locale.ROOT));
        if (own != null) {
            return own;
        }
        try {
            return spec(name);
        } catch (IllegalArgumentException e) {
            throw added.isEmpty() ? e : new IllegalArgumentException(e.getMessage().replace(NAMES.toString(),
                    names().toString()), e);
        }
    }

    /** The names this zoo accepts: the built-ins, then those it added (sorted). */
    public List<String> names() {
        List<String> out = new ArrayList<>(NAMES);
        out.addAll(new TreeSet<>(added.keySet()));
        return List.copyOf(out);
    }

    /** The spec of a built-in architecture with ImageNet's 1000 classes. */
    public static ModelSpec spec(String name) {
        return spec(name, 1000);
    }

    /** The spec of a built-in architecture with {@code numClasses} logits (resnet50-keras: 1000 only). */
    public static ModelSpec spec(String name, int numClasses) {
        return spec(name, numClasses, 1);
    }

    /**
     * The spec of a narrow variant: every width of the network divided by {@code widthDivisor} (a power of two
     * up to 64; 1 is the architecture itself), same structure and parameter names. Tests use them to keep
     * torchvision fixtures small. Its architecture name gets the suffix {@code /<widthDivisor>}.
     */
    public static ModelSpec spec(String name, int numClasses, int widthDivisor) {
        String n = name.toLowerCase(Locale.ROOT);
        String architecture = widthDivisor == 1 ? n : n + "/" + widthDivisor;
        if (n.equals("resnet50-keras")) {
            if (widthDivisor != 1 || numClasses != 1000) {
                throw new IllegalArgumentException("resnet50-keras has 1000 classes and full width only");
            }
            return new ModelSpec(n, ResNet.keras50(), 224, Preprocessing.CAFFE, 1000, "layer4");
        }
        if (n.startsWith("resnet")) {
            int depth = parseDepth(name, n.substring(6));
            return new ModelSpec(architecture, ResNet.build(depth, numClasses, widthDivisor), 224,
                    Preprocessing.TORCHVISION, numClasses, "layer4");
        }
        if (n.startsWith("vgg")) {
            boolean bn = n.endsWith("_bn");
            int depth = parseDepth(name, n.substring(3, bn ? n.length() - 3 : n.length()));
            return new ModelSpec(architecture, Vgg.build(depth, bn, numClasses, widthDivisor), 224,
                    Preprocessing.TORCHVISION, numClasses, Vgg.defaultCamLayer(depth, bn));
        }
        throw unknown(name);
    }

    private static int parseDepth(String name, String digits) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw unknown(name);
        }
    }

    private static IllegalArgumentException unknown(String name) {
        return new IllegalArgumentException("unknown model '" + name + "'; choose one of " + NAMES);
    }
}
