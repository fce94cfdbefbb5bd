package io.ucag.models;

import io.ucag.weights.Layouts;
import io.ucag.weights.NamedTensor;
import io.ucag.weights.WeightSet;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps the Keras ResNet50 weights (TF.js / Keras names and layouts) onto resnet50-keras's torchvision-style names:
 * {@code res3a_branch2a/kernel} [kh,kw,in,out] becomes {@code layer2.0.conv1.weight} [out,in,kh,kw],
 * {@code bn3a_branch2a/moving_variance} becomes {@code layer2.0.bn1.running_var}, {@code fc1000/kernel} [in,out]
 * becomes {@code fc.weight} [out,in]. Keras stage s (2..5) is torchvision's {@code layer(s-1)}, block letter a, b,
 * ... its index 0, 1, ...; branch 2a/2b/2c are conv1/2/3 and branch 1 the downsample projection.
 */
public final class KerasResNet50Names {
    private static final Pattern BLOCK = Pattern.compile("(res|bn)([2-5])([a-z])_branch(2a|2b|2c|1)/(\\w+)");
    private static final Map<String, String> BN_PARAMS = Map.of("gamma", "weight", "beta", "bias",
            "moving_mean", "running_mean", "moving_variance", "running_var");

    private KerasResNet50Names() {
    }

    /** The torchvision-style name of a Keras tensor name, or an error naming it. */
    public static String torchName(String kerasName) {
        Matcher m = BLOCK.matcher(kerasName);
        if (m.matches()) {
            String block = "layer" + (Integer.parseInt(m.group(2)) - 1) + "." + (m.group(3).charAt(0) - 'a');
            boolean conv = m.group(1).equals("res");
            String module = switch (m.group(4)) {
                case "2a" -> conv ? "conv1" : "bn1";
                case "2b" -> conv ? "conv2" : "bn2";
                case "2c" -> conv ? "conv3" : "bn3";
                default -> conv ? "downsample.0" : "downsample.1";
            };
            return block + "." + module + "." + param(kerasName, m.group(5), conv);
        }
        int slash = kerasName.indexOf('/');
        String layer = slash < 0 ? kerasName : kerasName.substring(0, slash);
        String p = slash < 0 ? "" : kerasName.substring(slash + 1);
        return switch (layer) {
            case "conv1" -> "conv1." + param(kerasName, p, true);
            case "bn_conv1" -> "bn1." + param(kerasName, p, false);
            case "fc1000" -> "fc." + param(kerasName, p, true);
            default -> throw new IllegalArgumentException("resnet50-keras: unexpected Keras tensor '" + kerasName + "'");
        };
    }

    private static String param(String kerasName, String p, boolean convOrDense) {
        String mapped = convOrDense ? (p.equals("kernel") ? "weight" : p.equals("bias") ? "bias" : null)
                : BN_PARAMS.get(p);
        if (mapped == null) {
            throw new IllegalArgumentException("resnet50-keras: unexpected Keras tensor '" + kerasName + "'");
        }
        return mapped;
    }

    /** {@code keras} (Keras names and layouts) with torchvision-style names and layouts; metadata is kept. */
    public static WeightSet toTorchLayout(WeightSet keras) {
        WeightSet torch = new WeightSet();
        keras.metadata().forEach(torch::putMetadata);
        for (NamedTensor t : keras.tensors()) {
            NamedTensor arranged = switch (t.rank()) {
                case 4 -> Layouts.hwioToOihw(t);
                case 2 -> Layouts.denseInOutToOutIn(t);
                default -> t;
            };
            String name = torchName(t.name());
            if (torch.contains(name)) {
                throw new IllegalArgumentException("resnet50-keras: two Keras tensors map to '" + name + "'");
            }
            torch.add(new NamedTensor(name, arranged.shape(), arranged.data(), arranged.storedAs()));
        }
        return torch;
    }
}
