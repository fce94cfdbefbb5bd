package io.ucag.cli;

import io.ucag.models.Model;
import io.ucag.models.ModelLoader;
import io.ucag.models.ModelZoo;
import io.ucag.models.image.InputTransform;
import io.ucag.runtime.Device;
import io.ucag.runtime.Devices;
import io.ucag.weights.fetch.ModelFetcher;
import java.io.IOException;
import java.nio.file.Path;
import io.ucag.models.ModelSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The options every model-running command shares: which model, which weights, which device, which crop. */
final class ModelOptions {
    @Option(names = "--model", defaultValue = "resnet50-keras", paramLabel = "NAME",
            description = "Architecture (default: ${DEFAULT-VALUE}); one of: resnet50-keras, resnet18..152, "
                    + "vgg11..19, vgg11_bn..vgg19_bn.")
    String model;

    @Option(names = "--weights", paramLabel = "FILE",
            description = "Weights: a torchvision .pth or .safetensors state_dict (or TF.js model.json for "
                    + "resnet50-keras). Default for resnet50-keras: the Keras ImageNet weights, fetched once.")
    Path weights;

    @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|opencl|java",
            description = "Device (default: ${DEFAULT-VALUE}: OpenCL if present, else Java).")
    String device;

    @Option(names = "--crop", defaultValue = "center", paramLabel = "center|none",
            description = "center: resize the shorter side to 256 and crop the centre 224 (torchvision); "
                    + "none: resize the whole image to 224x224 (default: ${DEFAULT-VALUE}).")
    String crop;

    @Option(names = "--cache", paramLabel = "DIR", description = "Cache for downloaded weights and photos "
            + "(default: $UCAG_CACHE or ~/.cache/ucag).")
    Path cache;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command; // the command this mixin is part of; its root holds the zoo

    /** The architectures {@code --model} may name: those of the {@link Main} running this command. */
    ModelZoo zoo() {
        return command != null && command.root().userObject() instanceof Main main ? main.zoo() : ModelZoo.BUILT_IN;
    }

    Path cacheDir() {
        return cache != null ? cache : ModelFetcher.defaultCacheDir();
    }

    InputTransform.Crop cropMode() {
        return switch (crop) {
            case "center" -> InputTransform.Crop.CENTER;
            case "none" -> InputTransform.Crop.NONE;
            default -> throw new IllegalArgumentException("--crop must be center or none, got '" + crop + "'");
        };
    }

    @Option(names = "--winograd", description = "OpenCL: run every 3x3 stride-1 convolution of >= 64 channels by "
            + "Winograd F(4x4,3x3) or F(6x6,3x3), not only the CAM family's and the evaluation games' (the default): "
            + "about ten times the rounding error, visible in AGF and RSP maps (see the README). Same as "
            + "-Ducag.opencl.winograd=true; -Ducag.opencl.winograd=false turns it off everywhere.")
    boolean winograd;

    Device openDevice() {
        if (winograd) {
            System.setProperty("ucag.opencl.winograd", "true"); // read by the OpenCL convolution
        }
        return Devices.open(device);
    }

    Model loadModel(Device d) throws IOException {
        ModelSpec spec = zoo().resolve(model); // an unknown name fails before any download
        return ModelLoader.load(spec, weights, d, cacheDir());
    }
}
