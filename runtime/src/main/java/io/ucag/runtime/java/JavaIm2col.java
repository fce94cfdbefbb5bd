package io.ucag.runtime.java;

import io.ucag.runtime.ops.Conv2dParams;
import java.util.Arrays;

/**
 * Packs columns {@code [q0, q0+count)} of the im2col matrix (see {@link ConvGeometry}) into separate row arrays,
 * {@code panel[k][j] = X_col[k][q0 + j]}, with zeros where the window hangs over the padding. Works one output
 * row segment at a time so each panel row is filled by straight copies (System.arraycopy for stride 1).
 */
final class JavaIm2col {
    private JavaIm2col() {
    }

    static void pack(float[] x, ConvGeometry g, int q0, int count, float[][] panel) {
        int pixels = g.pixels();
        int j = 0;
        while (j < count) {
            int q = q0 + j;
            int n = q / pixels;
            int p = q % pixels;
            if (g.isPointwise()) {
                int run = Math.min(count - j, pixels - p);
                packPointwise(x, g, n, p, run, j, panel);
                j += run;
            } else {
                int oy = p / g.outW();
                int ox = p % g.outW();
                int run = Math.min(count - j, g.outW() - ox);
                packRowSegment(x, g, n, oy, ox, run, j, panel);
                j += run;
            }
        }
    }

    /** 1x1 stride 1 without padding: row c is a straight copy of channel c. */
    private static void packPointwise(float[] x, ConvGeometry g, int n, int p, int run, int j, float[][] panel) {
        int pixels = g.pixels();
        for (int c = 0; c < g.channels(); c++) {
            System.arraycopy(x, (n * g.channels() + c) * pixels + p, panel[c], j, run);
        }
    }

    /** Output pixels (oy, ox0 .. ox0+run-1) of image n go to panel columns j0 .. j0+run-1. */
    private static void packRowSegment(float[] x, ConvGeometry g, int n, int oy, int ox0, int run, int j0,
                                       float[][] panel) {
        Conv2dParams p = g.params();
        int h = g.height();
        int w = g.width();
        int sw = p.strideW();
        int k = 0;
        for (int c = 0; c < g.channels(); c++) {
            for (int ky = 0; ky < g.kernelH(); ky++) {
                int iy = oy * p.strideH() - p.padH() + ky * p.dilationH();
                int rowBase = ((n * g.channels() + c) * h + iy) * w;
                boolean rowInside = iy >= 0 && iy < h;
                for (int kx = 0; kx < g.kernelW(); kx++) {
                    float[] row = panel[k++];
                    if (!rowInside) {
                        Arrays.fill(row, j0, j0 + run, 0f);
                        continue;
                    }
                    int ix0 = ox0 * sw - p.padW() + kx * p.dilationW();
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
    }
}
