package io.ucag.models;

import io.ucag.models.arch.ResNet;
import io.ucag.models.arch.Vgg;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The architectures ucag knows by name, with their default target layers and preprocessing. */
public final class ModelZoo {
    /** Names accepted by {@link #spec}, in the order help texts list them. */
    public static final List<String> NAMES = List.of("resnet50-keras", "resnet18", "resnet34", "resnet50",
            "resnet101", "resnet152", "vgg11", "vgg13", "vgg16", "vgg19", "vgg11_bn", "vgg13_bn", "vgg16_bn",
            "vgg19_bn");

    private static final Map<String, ModelSpec> REGISTERED = new ConcurrentHashMap<>();

    private ModelZoo() {
    }

    /**
     * Makes another architecture loadable by its name, {@code spec.architecture()} (lower case), e.g. a small
     * network for tests or a plug-in; {@link ModelLoader} then loads it from a weight file. Built-in names are
     * refused.
     */
    public static void register(ModelSpec spec) {
        String n = spec.architecture().toLowerCase(Locale.ROOT);
        if (NAMES.contains(n) || n.startsWith("resnet") || n.startsWith("vgg")) {
            throw new IllegalArgumentException("'" + spec.architecture() + "' is a built-in architecture name");
        }
        REGISTERED.put(n, spec);
    }

    /** The spec of an architecture with ImageNet's 1000 classes. */
    public static ModelSpec spec(String name) {
        return spec(name, 1000);
    }

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
        ModelSpec registered = REGISTERED.get(n);
        if (registered != null && widthDivisor == 1) {
            return registered;
        }
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
