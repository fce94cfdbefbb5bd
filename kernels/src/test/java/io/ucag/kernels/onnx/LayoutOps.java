package io.ucag.kernels.onnx;

import io.ucag.runtime.Device;
import io.ucag.runtime.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** Concat onto {@code concat}; Pad (constant mode, last two axes) onto {@code pad} and {@code crop}. */
final class LayoutOps {
    private LayoutOps() {
    }

    static Tensor concat(NodeContext ctx) {
        ctx.requireOnlyAttributes(Set.of("axis"));
        List<Tensor> parts = new ArrayList<>();
        for (int i = 0; i < ctx.node().inputs().size(); i++) {
            parts.add(ctx.tensor(i));
        }
        return ctx.device().concat(parts, (int) ctx.intAttribute("axis", 0));
    }

    /**
     * Pads are the {@code pads} input (opset >= 11) or attribute (older): begin values for every axis, then end
     * values. Only the last two axes may be padded (the device pads those); negative pads crop.
     */
    static Tensor pad(NodeContext ctx) {
        ctx.requireOnlyAttributes(Set.of("mode", "pads", "value"));
        String mode = ctx.stringAttribute("mode", "constant");
        if (!mode.equals("constant")) {
            throw new UnsupportedCase("pad mode", "mode=" + mode + ": Device.pad is constant padding only");
        }
        long[] pads = ctx.has(1) ? ctx.longs(1) : ctx.intsAttribute("pads", null);
        float value = ctx.has(2) ? ctx.floats(2)[0] : ctx.floatAttribute("value", 0f);
        int[] dims = ctx.dims(0);
        int rank = dims.length;
        if (rank < 2) {
            throw new UnsupportedCase("pad axes", "rank-" + rank + " input: Device.pad pads the last two axes");
        }
        for (int a = 0; a < rank - 2; a++) {
            if (pads[a] != 0 || pads[rank + a] != 0) {
                throw new UnsupportedCase("pad axes", "pads=" + Arrays.toString(pads) + " pad axis " + a
                        + ": Device.pad pads the last two axes");
            }
        }
        int top = (int) pads[rank - 2];
        int left = (int) pads[rank - 1];
        int bottom = (int) pads[2 * rank - 2];
        int right = (int) pads[2 * rank - 1];
        Device d = ctx.device();
        Tensor y = d.pad(ctx.tensor(0), Math.max(top, 0), Math.max(bottom, 0), Math.max(left, 0),
                Math.max(right, 0), value);
        if (top < 0 || bottom < 0 || left < 0 || right < 0) {
            int h = y.shape().dim(-2) + Math.min(top, 0) + Math.min(bottom, 0);
            int w = y.shape().dim(-1) + Math.min(left, 0) + Math.min(right, 0);
            y = d.crop(y, Math.max(-top, 0), Math.max(-left, 0), h, w);
        }
        return y;
    }
}
