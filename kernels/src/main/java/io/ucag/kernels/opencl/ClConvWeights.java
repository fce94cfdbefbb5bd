package io.ucag.kernels.opencl;

import io.ucag.runtime.OpShapes;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.Conv2dParams;

/**
 * Convolution weights packed once into the layout of {@code conv.cl}, for a layer that runs many times:
 * {@link ClDevice#conv2d} repacks its weight on every call (one pass over the weights, noticeable next to a
 * batch-1 convolution of a deep layer). Results equal {@code device.conv2d(x, weight, bias, p)}.
 *
 * <p>The packed copy is a tensor of the device: {@link #close()} frees it, and like any tensor it also belongs
 * to the {@link io.ucag.runtime.TensorScope} open when it was packed (keep it with {@code scope.keep(packed())}).
 */
public final class ClConvWeights implements AutoCloseable {
    private final ClDevice device;
    private final Shape weightShape; // (O,C,KH,KW)
    private final ConvKernelParams params;
    private final Tensor packed; // (ceil(O/TILE_OC), C*KH*KW, TILE_OC)

    private ClConvWeights(ClDevice device, Shape weightShape, ConvKernelParams params, Tensor packed) {
        this.device = device;
        this.weightShape = weightShape;
        this.params = params;
        this.packed = packed;
    }

    /** Packs {@code weight} (O,C,KH,KW) of device {@code d}; the weight itself may be closed afterwards. */
    public static ClConvWeights pack(ClDevice d, Tensor weight) {
        OpShapes.requireSameDevice("conv2d", d, weight);
        if (weight.shape().rank() != 4) {
            throw OpShapes.error("conv2d", "weight " + weight.shape() + " must have rank 4");
        }
        ConvKernelParams params = ConvKernelParams.forDevice(d.info());
        return new ClConvWeights(d, weight.shape(), params, ClConv.packWeights(d, weight, params));
    }

    /** The shape of the weight that was packed, (O,C,KH,KW). */
    public Shape weightShape() {
        return weightShape;
    }

    /** The packed tensor, e.g. to keep it beyond a {@link io.ucag.runtime.TensorScope}. */
    public Tensor packed() {
        return packed;
    }

    /** {@code F.conv2d(x, weight, bias, ...)}: x (N,C,H,W), bias (O) or null -> (N,O,Ho,Wo). */
    public Tensor conv2d(Tensor x, Tensor bias, Conv2dParams p) {
        OpShapes.requireSameDevice("conv2d", device, x, bias);
        return ClConv.conv2dPacked(device, x, packed, weightShape, bias, p, outputShape(x, bias, p), params);
    }

    /** The checks of {@link OpShapes#conv2d} on the remembered weight shape, with the same messages. */
    private Shape outputShape(Tensor x, Tensor bias, Conv2dParams p) {
        Shape xs = x.shape();
        Shape ws = weightShape;
        if (xs.rank() != 4) {
            throw OpShapes.error("conv2d", "input " + xs + " must have rank 4");
        }
        if (xs.dim(1) != ws.dim(1)) {
            throw OpShapes.error("conv2d", "input " + xs + " has " + xs.dim(1) + " channels but weight " + ws
                    + " expects " + ws.dim(1) + " (groups=1)");
        }
        if (bias != null && !bias.shape().equals(Shape.of(ws.dim(0)))) {
            throw OpShapes.error("conv2d", "bias " + bias.shape() + " must have shape (" + ws.dim(0) + ") for weight "
                    + ws);
        }
        int oh = p.outH(xs.dim(2), ws.dim(2));
        int ow = p.outW(xs.dim(3), ws.dim(3));
        if (oh < 1 || ow < 1) {
            throw OpShapes.error("conv2d", "input " + xs + " is smaller than the (dilated) kernel " + ws + " with "
                    + p);
        }
        return Shape.of(xs.dim(0), ws.dim(0), oh, ow);
    }

    @Override
    public void close() {
        packed.close();
    }
}
