package io.ucag.runtime.java;

import io.ucag.runtime.ops.Conv2dParams;
import java.util.Arrays;

/**
 * The im2col matrix {@code X_col (C*kh*kw, N*Ho*Wo)} of a conv2d input (see {@link ConvGeometry}) as a
 * {@link GemmPanelSource}: {@link PackedGemm} packs it block by block straight from the input, so it never exists
 * whole. Works one output-row segment at a time, so each packed row is filled by straight copies
 * (System.arraycopy for stride 1) with zeros where the window hangs over the padding; a 1x1 stride-1 convolution
 * without padding copies the input rows as they are.
 */
final class ConvGemmSource implements GemmPanelSource {
    private final float[] x;      // (N, C, H, W)
    private final ConvGeometry g;
    private final int[] channel;  // for each row k of X_col: its input channel c,
    private final int[] rowShift; // ky * dilationH
    private final int[] colShift; // and kx * dilationW

    ConvGemmSource(float[] x, ConvGeometry g) {
        this.x = x;
        this.g = g;
        int depth = g.depth();
        channel = new int[depth];
        rowShift = new int[depth];
        colShift = new int[depth];
        int area = g.kernelH() * g.kernelW();
        for (int k = 0; k < depth; k++) {
            channel[k] = k / area;
            rowShift[k] = k % area / g.kernelW() * g.params().dilationH();
            colShift[k] = k % g.kernelW() * g.params().dilationW();
        }
    }

    @Override
    public void packRows(int k0, int depth, int j0, int cols, float[][] rows) {
        int pixels = g.pixels();
        int j = 0;
        while (j < cols) {
            int q = j0 + j;
            int n = q / pixels;
            int p = q % pixels;
            int run;
            if (g.isPointwise()) {
                run = Math.min(cols - j, pixels - p);
                for (int k = 0; k < depth; k++) {
                    System.arraycopy(x, (n * g.channels() + k0 + k) * pixels + p, rows[k], j, run);
                }
            } else {
                int ox = p % g.outW();
                run = Math.min(cols - j, g.outW() - ox);
                packRowSegment(n, p / g.outW(), ox, run, k0, depth, j, rows);
            }
            j += run;
        }
    }

    /** Output pixels (oy, ox0 .. ox0+run-1) of image n go to columns j0 .. j0+run-1 of rows k0 .. k0+depth-1. */
    private void packRowSegment(int n, int oy, int ox0, int run, int k0, int depth, int j0, float[][] rows) {
        Conv2dParams p = g.params();
        int h = g.height();
        int w = g.width();
        int sw = p.strideW();
        int iyTop = oy * p.strideH() - p.padH();
        int ixLeft = ox0 * sw - p.padW();
        for (int k = 0; k < depth; k++) {
            float[] row = rows[k];
            int iy = iyTop + rowShift[k0 + k];
            if (iy < 0 || iy >= h) {
                Arrays.fill(row, j0, j0 + run, 0f);
                continue;
            }
            int rowBase = ((n * g.channels() + channel[k0 + k]) * h + iy) * w;
            int ix0 = ixLeft + colShift[k0 + k];
            // pixels t in [inFrom, inTo) read 0 <= ix0 + t*sw < w; the rest are padding
            int inFrom = ix0 >= 0 ? 0 : Math.min(run, (-ix0 + sw - 1) / sw);
            int inTo = ix0 >= w ? inFrom : Math.max(inFrom, Math.min(run, (w - 1 - ix0) / sw + 1));
            Arrays.fill(row, j0, j0 + inFrom, 0f);
            if (sw == 1) {
                System.arraycopy(x, rowBase + ix0 + inFrom, row, j0 + inFrom, inTo - inFrom);
            } else {
                for (int t = inFrom; t < inTo; t++) {
                    row[j0 + t] = x[rowBase + ix0 + t * sw];
                }
            }
            Arrays.fill(row, j0 + inTo, j0 + run, 0f);
        }
    }
}
