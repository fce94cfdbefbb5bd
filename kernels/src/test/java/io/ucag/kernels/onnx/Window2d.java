package io.ucag.kernels.onnx;

import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import java.util.Arrays;

/**
 * The window geometry of an ONNX Conv / MaxPool / AveragePool node on 1-D or 2-D data, lifted to two spatial
 * axes (1-D data becomes height 1, so that the 2-D device ops run it unchanged). Padding may be asymmetric
 * ({@code padBegin != padEnd}); the mappings decide how the device ops realise it.
 *
 * <p>{@code auto_pad}: NOTSET uses {@code pads} (begin values, then end values); VALID pads nothing;
 * SAME_UPPER / SAME_LOWER pad {@code total = max(0, (ceil(in/s) - 1) * s + (k-1) * d + 1 - in)} per axis, the
 * odd unit at the end (UPPER) or at the beginning (LOWER), as the ONNX operator specification says.
 *
 * @param in        input height and width
 * @param kernel    window height and width
 * @param strides   strides
 * @param dilations dilations
 * @param padBegin  padding before the data (top, left)
 * @param padEnd    padding after the data (bottom, right)
 */
record Window2d(int[] in, int[] kernel, int[] strides, int[] dilations, int[] padBegin, int[] padEnd) {

    /**
     * Reads kernel_shape (or {@code weightKernel} when the node has none), strides, dilations, pads and auto_pad
     * for an input of dimensions {@code inputDims} (N,C,L) or (N,C,H,W).
     */
    static Window2d of(NodeContext ctx, int[] inputDims, int[] weightKernel) {
        int r = spatialRank(ctx, inputDims);
        int[] in = lift(Arrays.stream(inputDims, 2, inputDims.length).asLongStream().toArray(), r, 1);
        long[] kernelShape = ctx.intsAttribute("kernel_shape", null);
        int[] kernel;
        if (kernelShape != null) {
            kernel = lift(kernelShape, r, 1);
            if (weightKernel != null && !Arrays.equals(kernel, weightKernel)) {
                throw new IllegalArgumentException(ctx.node().opType() + ": kernel_shape " + Arrays.toString(kernel)
                        + " differs from the weight's " + Arrays.toString(weightKernel));
            }
        } else if (weightKernel != null) {
            kernel = weightKernel;
        } else {
            throw new IllegalArgumentException(ctx.node().opType() + ": kernel_shape is required");
        }
        long[] ones = new long[r];
        Arrays.fill(ones, 1);
        int[] strides = lift(ctx.intsAttribute("strides", ones), r, 1);
        int[] dilations = lift(ctx.intsAttribute("dilations", ones), r, 1);
        int[] begin = new int[2];
        int[] end = new int[2];
        String autoPad = ctx.stringAttribute("auto_pad", "NOTSET");
        switch (autoPad) {
            case "NOTSET" -> {
                long[] pads = ctx.intsAttribute("pads", new long[2 * r]);
                begin = lift(Arrays.copyOfRange(pads, 0, r), r, 0);
                end = lift(Arrays.copyOfRange(pads, r, 2 * r), r, 0);
            }
            case "VALID" -> { }
            case "SAME_UPPER", "SAME_LOWER" -> {
                for (int a = 0; a < 2; a++) {
                    int out = Math.floorDiv(in[a] + strides[a] - 1, strides[a]);
                    int total = Math.max(0, (out - 1) * strides[a] + (kernel[a] - 1) * dilations[a] + 1 - in[a]);
                    int small = total / 2;
                    begin[a] = autoPad.equals("SAME_UPPER") ? small : total - small;
                    end[a] = total - begin[a];
                }
            }
            default -> throw new IllegalArgumentException(ctx.node().opType() + ": unknown auto_pad " + autoPad);
        }
        return new Window2d(in, kernel, strides, dilations, begin, end);
    }

    /** 1 or 2 spatial axes; 3-D and higher windows have no device op. */
    static int spatialRank(NodeContext ctx, int[] inputDims) {
        int r = inputDims.length - 2;
        if (r >= 3) {
            throw new UnsupportedCase("3-D ops", r + "-D " + ctx.node().opType() + " on input "
                    + Arrays.toString(inputDims) + ": the device ops are 2-D");
        }
        if (r < 1) {
            throw new IllegalArgumentException(ctx.node().opType() + ": input " + Arrays.toString(inputDims)
                    + " has no spatial axis");
        }
        return r;
    }

    /** Per-axis values of a 1-D or 2-D attribute as two ints; 1-D gets {@code neutral} for the height. */
    static int[] lift(long[] values, int r, int neutral) {
        if (values.length != r) {
            throw new IllegalArgumentException("attribute has " + values.length + " values for " + r + " axes");
        }
        return new int[] {r == 1 ? neutral : Math.toIntExact(values[0]), Math.toIntExact(values[r - 1])};
    }

    boolean symmetric() {
        return Arrays.equals(padBegin, padEnd);
    }

    /** (N,C,L) as (N,C,1,L); 4-D unchanged. */
    static Tensor to4d(Device d, Tensor x) {
        int[] s = x.shape().dims();
        return s.length == 3 ? d.reshape(x, Shape.of(s[0], s[1], 1, s[2])) : x;
    }

    /** Undoes {@link #to4d} for an input of rank {@code rank}. */
    static Tensor restoreRank(Device d, Tensor y, int rank) {
        int[] s = y.shape().dims();
        return rank == 3 ? d.reshape(y, Shape.of(s[0], s[1], s[3])) : y;
    }

    @Override
    public String toString() {
        return "kernel " + Arrays.toString(kernel) + " strides " + Arrays.toString(strides) + " dilations "
                + Arrays.toString(dilations) + " pads begin " + Arrays.toString(padBegin) + " end "
                + Arrays.toString(padEnd);
    }
}
