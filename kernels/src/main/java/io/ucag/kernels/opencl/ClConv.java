package io.ucag.kernels.opencl;

import io.ucag.runtime.OpShapes;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.Conv2dParams;

/**
 * Launches {@code conv.cl} and {@code gemm.cl}. conv2d packs the weights ({@code pack_conv_weights}; callers that
 * run a layer often pack once with {@link ClConvWeights}), materialises the zero padding when the kernel would
 * otherwise read outside the input ({@code pad_conv_input}), then runs {@code conv2d_rows} (stride 1, rows long
 * enough for its pixel vectors) or else {@code conv2d_tiled}. A 1x1 stride-1
 * convolution without padding runs as a GEMM over each image's flattened pixels and reads the input in place
 * whenever the pixel tile divides H*W. linear runs {@code linear_nt} straight on x and W.
 */
final class ClConv {
    static final String CONV_FILE = "conv.cl";
    private static final String GEMM_FILE = "gemm.cl";
    /**
     * conv2d_rows (stride 1) runs when at most this share of its pixels falls past the row ends; otherwise
     * conv2d_tiled, whose tiles fit short rows exactly (7x7 maps: 16-pixel vectors would waste 9 of 16).
     */
    private static final double MAX_ROW_WASTE = 0.125;

    private ClConv() {
    }

    static Tensor conv2d(ClDevice d, Tensor x, Tensor weight, Tensor bias, Conv2dParams p) {
        Shape ys = OpShapes.conv2d(x, weight, bias, p);
        ConvKernelParams params = ConvKernelParams.forDevice(d.info());
        try (Tensor packed = packWeights(d, weight, params)) {
            return conv2dPacked(d, x, packed, weight.shape(), bias, p, ys, params);
        }
    }

    /** Weights (O,C,KH,KW) in the layout of {@code conv2d_tiled} for {@code params.tileOc()}. */
    static Tensor packWeights(ClDevice d, Tensor weight, ConvKernelParams params) {
        Shape ws = weight.shape();
        int outChannels = ws.dim(0);
        int depth = ws.size(1, 4);
        int blocks = ceilDiv(outChannels, params.tileOc());
        Tensor packed = d.allocate(Shape.of(blocks, depth, params.tileOc()));
        d.kernel(CONV_FILE, "pack_conv_weights", params.packOptions())
                .launch(new long[] {depth, blocks}, null, weight, packed, outChannels, depth, blocks);
        return packed;
    }

    /**
     * The convolution of {@code x} with weights already packed by {@link #packWeights} from a weight of shape
     * {@code ws}; {@code ys} is the checked output shape.
     */
    static Tensor conv2dPacked(ClDevice d, Tensor x, Tensor packed, Shape ws, Tensor bias, Conv2dParams p,
                               Shape ys, ConvKernelParams params) {
        Shape xs = x.shape();
        int kh = ws.dim(2);
        int kw = ws.dim(3);
        boolean pointwise = kh == 1 && kw == 1 && p.strideH() == 1 && p.strideW() == 1 && p.padH() == 0
                && p.padW() == 0;
        // The geometry the kernel sees: a pointwise conv is one row of H*W pixels per image.
        int srcH = pointwise ? 1 : xs.dim(2);
        int srcW = pointwise ? xs.dim(2) * xs.dim(3) : xs.dim(3);
        int rows = pointwise ? 1 : ys.dim(2);
        int cols = pointwise ? ys.dim(2) * ys.dim(3) : ys.dim(3);
        Conv2dParams kp = pointwise ? Conv2dParams.of(1, 0) : p;
        boolean rowsKernel = kp.strideW() == 1 && rowWaste(cols, params.rowPx()) <= MAX_ROW_WASTE;
        int pixels = rowsKernel ? params.rowPx() : params.tilePxFor(cols);
        int tilesW = ceilDiv(cols, pixels);
        int needH = (rows - 1) * kp.strideH() + (kh - 1) * kp.dilationH() + 1;
        int needW = (tilesW * pixels - 1) * kp.strideW() + (kw - 1) * kp.dilationW() + 1;
        boolean inPlace = kp.padH() == 0 && kp.padW() == 0 && srcH >= needH && srcW >= needW;
        int n = xs.dim(0);
        int channels = xs.dim(1);
        Tensor in = inPlace ? x : padInput(d, params.packOptions(), x, n * channels, srcH, srcW, needH, needW, kp);
        int inH = inPlace ? srcH : needH;
        int inW = inPlace ? srcW : needW;
        int outChannels = ws.dim(0);
        Tensor y = d.allocate(ys);
        d.kernel(CONV_FILE, rowsKernel ? "conv2d_rows" : "conv2d_tiled", params.convOptions(kh, kw, kp, pixels)).launch(
                new long[] {(long) rows * tilesW, ceilDiv(outChannels, params.tileOc()), n}, null,
                in, packed, bias == null ? packed : bias, y, channels, inH, inW, outChannels, rows, cols, tilesW,
                bias == null ? 0 : 1);
        if (!inPlace) {
            in.close(); // freed once the queued conv has read it
        }
        return y;
    }

    /** The input (planes of srcH x srcW) shifted by the padding into a zero frame of needH x needW. */
    private static Tensor padInput(ClDevice d, String options, Tensor x, int planes, int srcH, int srcW, int needH,
                                   int needW,
                                   Conv2dParams p) {
        Tensor padded = d.allocate(Shape.of(planes, needH, needW));
        d.kernel(CONV_FILE, "pad_conv_input", options).launch(new long[] {needW, needH, planes}, null,
                x, padded, srcH, srcW, needH, needW, p.padH(), p.padW(), planes);
        return padded;
    }

    static Tensor linear(ClDevice d, Tensor x, Tensor weight, Tensor bias) {
        Shape ys = OpShapes.linear(x, weight, bias);
        ConvKernelParams params = ConvKernelParams.forDevice(d.info());
        int n = ys.dim(0);
        int features = ys.dim(1);
        Tensor y = d.allocate(ys);
        d.kernel(GEMM_FILE, "linear_nt", params.linearOptions()).launch(
                new long[] {ceilDiv(n, params.tileN()), ceilDiv(features, params.tileM())}, null,
                x, weight, bias == null ? weight : bias, y, n, x.shape().dim(1), features, bias == null ? 0 : 1);
        return y;
    }

    /** The share of a row's last conv2d_rows tile that is computed past its end. */
    private static double rowWaste(int cols, int rowPx) {
        int tiles = ceilDiv(cols, rowPx);
        return (tiles * rowPx - cols) / (double) (tiles * rowPx);
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
