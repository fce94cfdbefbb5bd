package io.ucag.kernels.onnx;

import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.Conv2dParams;
import java.util.Arrays;
import java.util.Set;

/**
 * Conv onto {@code conv2d} and ConvTranspose onto {@code conv2dBackwardInput} (the transposed convolution is
 * the gradient of the convolution with respect to its input). 1-D runs as 2-D with height 1; group must be 1.
 */
final class ConvOps {
    private ConvOps() {
    }

    /** Asymmetric padding becomes explicit zero padding (exact: padded zeros contribute nothing). */
    static Tensor conv(NodeContext ctx) {
        ctx.requireOnlyAttributes(Set.of("auto_pad", "dilations", "group", "kernel_shape", "pads", "strides"));
        requireGroupOne(ctx);
        int[] xDims = ctx.dims(0);
        Window2d w = Window2d.of(ctx, xDims, weightKernel(ctx));
        Device d = ctx.device();
        Tensor x = Window2d.to4d(d, ctx.tensor(0));
        Tensor weight = Window2d.to4d(d, ctx.tensor(1));
        Tensor bias = ctx.has(2) ? ctx.tensor(2) : null;
        int[] b = w.padBegin();
        int[] e = w.padEnd();
        if (!w.symmetric()) {
            x = d.pad(x, b[0], e[0], b[1], e[1], 0f);
            b = new int[2];
        }
        Conv2dParams p = new Conv2dParams(w.strides()[0], w.strides()[1], b[0], b[1], w.dilations()[0],
                w.dilations()[1]);
        return Window2d.restoreRank(d, d.conv2d(x, weight, bias, p), xDims.length);
    }

    /**
     * Per axis the transposed convolution first produces its full output of {@code s*(in-1) + (k-1)*d + 1}
     * values (the adjoint of a convolution without padding); ONNX then drops {@code begin} values at the start
     * and keeps {@code out} from there, zeros past the end (where output_padding or output_shape reach beyond).
     * Symmetric padding is exactly {@code conv2dBackwardInput} with that padding; otherwise the mapping runs it
     * without padding and crops.
     *
     * <p>With output_shape, or auto_pad SAME_*, the padding follows ONNX's rule: {@code total = full +
     * output_padding - out}, SAME_UPPER puts {@code floor(total/2)} at the beginning, anything else
     * {@code total - floor(total/2)} (floor division, so a negative total of -1 becomes one zero at the end).
     */
    static Tensor convTranspose(NodeContext ctx) {
        ctx.requireOnlyAttributes(Set.of("auto_pad", "dilations", "group", "kernel_shape", "output_padding",
                "output_shape", "pads", "strides"));
        requireGroupOne(ctx);
        int[] xDims = ctx.dims(0);
        int r = Window2d.spatialRank(ctx, xDims);
        String autoPad = ctx.stringAttribute("auto_pad", "NOTSET");
        Window2d w = Window2d.of(ctx, xDims, weightKernel(ctx)); // its SAME_* pads are Conv's: replaced below
        int[] outputPadding = Window2d.lift(ctx.intsAttribute("output_padding", new long[r]), r, 0);
        long[] outputShape = ctx.intsAttribute("output_shape", null);
        int[] full = new int[2];
        int[] begin = new int[2];
        int[] end = new int[2];
        int[] out = new int[2];
        for (int a = 0; a < 2; a++) {
            full[a] = w.strides()[a] * (w.in()[a] - 1) + (w.kernel()[a] - 1) * w.dilations()[a] + 1;
            if (outputShape != null || autoPad.startsWith("SAME")) {
                out[a] = outputShape != null ? Window2d.lift(outputShape, r, 1)[a] : w.in()[a] * w.strides()[a];
                int total = full[a] + outputPadding[a] - out[a];
                begin[a] = autoPad.equals("SAME_UPPER") ? Math.floorDiv(total, 2) : total - Math.floorDiv(total, 2);
                end[a] = total - begin[a];
            } else {
                begin[a] = w.padBegin()[a];
                end[a] = w.padEnd()[a];
                out[a] = full[a] + outputPadding[a] - begin[a] - end[a];
            }
        }
        Device d = ctx.device();
        Tensor x = Window2d.to4d(d, ctx.tensor(0));
        Tensor weight = Window2d.to4d(d, ctx.tensor(1));
        int n = xDims[0];
        int m = weight.shape().dim(1);
        Tensor y;
        if (begin[0] == end[0] && begin[1] == end[1] && begin[0] >= 0 && begin[1] >= 0
                && fits(w, full, out, begin)) {
            y = d.conv2dBackwardInput(x, weight, Shape.of(n, m, out[0], out[1]), params(w, begin));
        } else {
            if (begin[0] < 0 || begin[1] < 0) {
                throw new UnsupportedCase("pads", "ConvTranspose begin padding " + Arrays.toString(begin)
                        + " is negative (zeros before the full output)");
            }
            int[] wide = {Math.max(full[0], begin[0] + out[0]), Math.max(full[1], begin[1] + out[1])};
            if (!fits(w, full, wide, new int[2])) {
                throw new UnsupportedCase("output_shape", "ConvTranspose output " + Arrays.toString(out)
                        + " reaches a stride or more past the full output " + Arrays.toString(full));
            }
            Tensor all = d.conv2dBackwardInput(x, weight, Shape.of(n, m, wide[0], wide[1]), params(w, new int[2]));
            y = d.crop(all, begin[0], begin[1], out[0], out[1]);
        }
        if (ctx.has(2)) {
            y = d.add(y, d.reshape(ctx.tensor(2), Shape.of(1, m, 1, 1)));
        }
        return Window2d.restoreRank(d, y, xDims.length);
    }

    /** Whether a convolution of an {@code size} input with padding {@code pad} gives the node's input size. */
    private static boolean fits(Window2d w, int[] full, int[] size, int[] pad) {
        for (int a = 0; a < 2; a++) {
            int extra = size[a] + 2 * pad[a] - full[a]; // rows past the full output, after padding
            if (extra < 0 || extra >= w.strides()[a]) {
                return false;
            }
        }
        return true;
    }

    private static Conv2dParams params(Window2d w, int[] pad) {
        return new Conv2dParams(w.strides()[0], w.strides()[1], pad[0], pad[1], w.dilations()[0],
                w.dilations()[1]);
    }

    private static void requireGroupOne(NodeContext ctx) {
        long group = ctx.intAttribute("group", 1);
        if (group != 1) {
            throw new UnsupportedCase("group", "group=" + group + ": the device convolutions have groups = 1");
        }
    }

    /** The spatial size of the weight (O,C,k...) lifted to two axes. */
    private static int[] weightKernel(NodeContext ctx) {
        int[] wDims = ctx.dims(1);
        int r = wDims.length - 2;
        return Window2d.lift(Arrays.stream(wDims, 2, wDims.length).asLongStream().toArray(), r, 1);
    }
}
