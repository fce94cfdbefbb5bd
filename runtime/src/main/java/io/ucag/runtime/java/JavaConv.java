package io.ucag.runtime.java;

import io.ucag.runtime.OpShapes;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.Conv2dParams;
import java.util.Arrays;

/**
 * conv2d as one matrix product on {@link PackedGemm} (linear: {@link JavaLinear}):
 * {@code Y (O, N*Ho*Wo) = W (O, C*kh*kw) * X_col + b} (see {@link ConvGeometry}). The im2col matrix is packed
 * block by block straight from the input ({@link ConvGemmSource}); its columns span batch items, so small feature
 * maps still give long vector loops, and {@link ConvOutput} maps them back to (N, O, Ho, Wo).
 */
final class JavaConv {
    private JavaConv() {
    }

    /** {@code F.linear}; see {@link JavaLinear}. */
    static Tensor linear(JavaDevice d, Tensor x, Tensor weight, Tensor bias) {
        return JavaLinear.linear(d, x, weight, bias);
    }

    static Tensor conv2d(JavaDevice d, Tensor x, Tensor weight, Tensor bias, Conv2dParams p) {
        Shape ys = OpShapes.conv2d(x, weight, bias, p);
        ConvGeometry g = ConvGeometry.of(x.shape(), weight.shape(), ys, p);
        Tensor y = d.allocate(ys);
        GemmMatrix w = GemmMatrix.rowMajor(d.data(weight), 0, g.depth()); // (O, C*kh*kw)
        ConvOutput out = new ConvOutput(d.data(y), g, bias == null ? null : d.data(bias));
        PackedGemm.multiply(d.loop(), w, new ConvGemmSource(d.data(x), g), out, g.outChannels(), g.depth(),
                g.columns());
        return y;
    }

    /** C (O, N*Ho*Wo) stored as Y (N, O, Ho, Wo), starting from the bias of each output channel. */
    private record ConvOutput(float[] y, ConvGeometry g, float[] bias) implements GemmOutput {
        @Override
        public void load(int o0, int rows, int q0, int cols, float[][] tile) {
            for (int r = 0; r < rows; r++) {
                Arrays.fill(tile[r], 0, cols, bias == null ? 0f : bias[o0 + r]);
            }
        }

        @Override
        public void store(int o0, int rows, int q0, int cols, float[][] tile) {
            int pixels = g.pixels();
            for (int j = 0; j < cols; ) {
                int n = (q0 + j) / pixels;
                int p = (q0 + j) % pixels;
                int run = Math.min(cols - j, pixels - p);
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(tile[r], j, y, (n * g.outChannels() + o0 + r) * pixels + p, run);
                }
                j += run;
            }
        }
    }
}
