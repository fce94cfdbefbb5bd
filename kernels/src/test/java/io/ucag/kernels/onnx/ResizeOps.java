package io.ucag.kernels.onnx;

import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.ResizeMode;
import java.util.Arrays;
import java.util.Set;

/**
 * Resize onto {@code resize}, which is {@code F.interpolate(size=..., align_corners=False)} over the last two
 * axes: source coordinate {@code (dst + 0.5) * in / out - 0.5}, taps clamped to the border. That is ONNX's
 * {@code half_pixel} (and {@code pytorch_half_pixel} where the output size is not 1) when the scale ONNX
 * divides by equals out/in: always for {@code sizes}, for {@code scales} only if {@code in * scale} is an
 * integer. {@code linear} is bilinear; {@code cubic} is bicubic with {@code cubic_coeff_a=-0.75} and
 * {@code exclude_outside=0} (PyTorch's kernel). Leading axes must keep their size.
 */
final class ResizeOps {
    private static final Set<String> HALF_PIXEL = Set.of("half_pixel", "pytorch_half_pixel");

    private ResizeOps() {
    }

    static Tensor resize(NodeContext ctx) {
        ctx.requireOnlyAttributes(Set.of("coordinate_transformation_mode", "cubic_coeff_a", "exclude_outside",
                "extrapolation_value", "mode", "nearest_mode"));
        if (ctx.opset() < 11) {
            throw new UnsupportedCase("coordinate_transformation_mode", "Resize-" + ctx.opset()
                    + " uses asymmetric coordinates: Device.resize is align_corners=False (half_pixel)");
        }
        String mode = ctx.stringAttribute("mode", "nearest");
        ResizeMode resizeMode = switch (mode) {
            case "linear" -> ResizeMode.BILINEAR;
            case "cubic" -> ResizeMode.BICUBIC;
            default -> throw new UnsupportedCase("mode", "mode=" + mode + ": Device.resize is bilinear or bicubic");
        };
        String transform = ctx.stringAttribute("coordinate_transformation_mode", "half_pixel");
        if (!HALF_PIXEL.contains(transform)) {
            throw new UnsupportedCase("coordinate_transformation_mode", "coordinate_transformation_mode="
                    + transform + ": Device.resize is align_corners=False (half_pixel)");
        }
        if (resizeMode == ResizeMode.BICUBIC) {
            float a = ctx.floatAttribute("cubic_coeff_a", -0.75f);
            long excludeOutside = ctx.intAttribute("exclude_outside", 0);
            if (a != -0.75f || excludeOutside != 0) {
                throw new UnsupportedCase("cubic kernel", "cubic_coeff_a=" + a + " exclude_outside="
                        + excludeOutside + ": Device.resize's bicubic is PyTorch's (a=-0.75, border taps clamped)");
            }
        }
        int[] in = ctx.dims(0);
        int rank = in.length;
        int[] out = new int[rank];
        boolean fromScales = !ctx.has(3);
        float[] scales = fromScales ? ctx.floats(2) : null;
        if (fromScales) {
            for (int a = 0; a < rank; a++) {
                out[a] = (int) Math.floor(in[a] * (double) scales[a]);
            }
        } else {
            long[] sizes = ctx.longs(3);
            for (int a = 0; a < rank; a++) {
                out[a] = Math.toIntExact(sizes[a]);
            }
        }
        for (int a = 0; a < rank - 2; a++) {
            if (out[a] != in[a]) {
                throw new UnsupportedCase("resized axes", "output " + Arrays.toString(out) + " from input "
                        + Arrays.toString(in) + " resizes axis " + a + ": Device.resize resizes the last two axes");
            }
        }
        for (int a = rank - 2; a < rank; a++) {
            if (fromScales && (double) scales[a] * in[a] != out[a]) {
                throw new UnsupportedCase("scales", "scales=" + Arrays.toString(scales) + " give output "
                        + Arrays.toString(out) + " but ONNX maps coordinates by 1/scale, Device.resize by in/out"
                        + " (PyTorch's size= path)");
            }
            if (transform.equals("pytorch_half_pixel") && out[a] == 1 && in[a] != 1) {
                throw new UnsupportedCase("pytorch_half_pixel", "output size 1 on axis " + a + " (input "
                        + in[a] + "): ONNX samples source 0, PyTorch (and Device.resize) sample (in-1)/2 = "
                        + (in[a] - 1) / 2.0);
            }
        }
        return ctx.device().resize(ctx.tensor(0), out[rank - 2], out[rank - 1], resizeMode);
    }
}
