package io.ucag.runtime.golden;

import io.ucag.runtime.Device;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.Conv2dParams;
import io.ucag.runtime.ops.Pool2dParams;
import io.ucag.runtime.ops.ReduceOp;
import io.ucag.runtime.ops.ResizeMode;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One PyTorch golden case of golden/ops/manifest.json: a {@link Device} op, its non-tensor arguments and
 * the files of its tensor inputs (in argument order) and expected output.
 *
 * @param name      unique case name, also the folder of its files
 * @param op        the Device method, e.g. {@code maxPool2d}
 * @param params    the other arguments by manifest name (numbers are Double, lists List)
 * @param inputs    .npy files relative to the manifest, in the op's argument order
 * @param output    .npy file of the expected result
 * @param torchCall the PyTorch expression that produced it, for failure messages
 */
public record GoldenCase(String name, String op, Map<String, Object> params, List<String> inputs, String output,
                         String torchCall) {

    /** Runs the op on {@code device}; {@code in} are the input tensors on that device, in manifest order. */
    public Tensor run(Device device, List<Tensor> in) {
        return switch (op) {
            case "conv2d" -> {
                int[] s = ints("stride");
                int[] p = ints("padding");
                int[] dil = ints("dilation");
                yield device.conv2d(in.get(0), in.get(1), optional(in, 2),
                        new Conv2dParams(s[0], s[1], p[0], p[1], dil[0], dil[1]));
            }
            case "linear" -> device.linear(in.get(0), in.get(1), optional(in, 2));
            case "maxPool2d" -> device.maxPool2d(in.get(0), pool());
            case "avgPool2d" -> device.avgPool2d(in.get(0), pool(), bool("count_include_pad"));
            case "adaptiveAvgPool2d" -> device.adaptiveAvgPool2d(in.get(0), integer("out_h"), integer("out_w"));
            case "batchNorm" -> device.batchNorm(in.get(0), in.get(1), in.get(2), in.get(3), in.get(4), real("eps"));
            case "relu" -> device.relu(in.get(0));
            case "add" -> device.add(in.get(0), in.get(1));
            case "mul" -> device.mul(in.get(0), in.get(1));
            case "div" -> device.div(in.get(0), in.get(1));
            case "abs" -> device.abs(in.get(0));
            case "sign" -> device.sign(in.get(0));
            case "scale" -> device.scale(in.get(0), real("factor"));
            case "exp" -> device.exp(in.get(0));
            case "clamp" -> device.clamp(in.get(0), real("min"), real("max"));
            case "softmax" -> device.softmax(in.get(0), integer("axis"));
            case "reduce" -> device.reduce(in.get(0), ReduceOp.valueOf(text("op").toUpperCase(Locale.ROOT)),
                    ints("axes"), bool("keep_dims"));
            case "concat" -> device.concat(in, integer("axis"));
            case "crop" -> device.crop(in.get(0), integer("top"), integer("left"), integer("height"),
                    integer("width"));
            case "pad" -> device.pad(in.get(0), integer("top"), integer("bottom"), integer("left"), integer("right"),
                    real("value"));
            case "resize" -> device.resize(in.get(0), integer("out_h"), integer("out_w"),
                    ResizeMode.valueOf(text("mode").toUpperCase(Locale.ROOT)));
            case "gaussianBlur" -> device.gaussianBlur(in.get(0), integer("kernel_size"), real("sigma"));
            default -> throw new IllegalArgumentException(name + ": unknown op '" + op + "' in the manifest");
        };
    }

    private Pool2dParams pool() {
        int[] k = ints("kernel");
        int[] s = ints("stride");
        int[] p = ints("padding");
        return new Pool2dParams(k[0], k[1], s[0], s[1], p[0], p[1], bool("ceil_mode"));
    }

    private static Tensor optional(List<Tensor> in, int index) {
        return in.size() > index ? in.get(index) : null;
    }

    private Object param(String key) {
        if (!params.containsKey(key)) {
            throw new IllegalArgumentException(name + ": manifest lacks parameter '" + key + "' for " + op);
        }
        return params.get(key);
    }

    private int integer(String key) {
        double v = (Double) param(key);
        if (v != Math.rint(v)) {
            throw new IllegalArgumentException(name + ": parameter '" + key + "' = " + v + " is not an integer");
        }
        return (int) v;
    }

    private int[] ints(String key) {
        List<?> list = (List<?>) param(key);
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) (double) (Double) list.get(i);
        }
        return out;
    }

    private float real(String key) {
        return (float) (double) (Double) param(key);
    }

    private boolean bool(String key) {
        return (Boolean) param(key);
    }

    private String text(String key) {
        return (String) param(key);
    }

    @Override
    public String toString() {
        return name;
    }
}
