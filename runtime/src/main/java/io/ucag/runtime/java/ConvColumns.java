package io.ucag.runtime.java;

import io.ucag.runtime.ops.Conv2dParams;
import java.util.Arrays;

/**
 * Moves values between image n and a block of its im2col matrix (see {@link ConvGradGeometry}): columns are
 * the output pixels {@code [p0, p0 + count)}, block entry {@code (k, j)} at {@code cols[k * count + j]}. Works
 * one output-row segment at a time, so each window row is a contiguous or strided run found without division
 * per element. Both directions take a channel range so callers can split the work over threads.
 */
final class ConvColumns {
    private ConvColumns() {
    }

    /** im2col: {@code cols[k][j]} = input pixel under column j for rows k of channels [c0, c1); 0 in padding. */
    static void gather(float[] x, ConvGradGeometry g, int n, int p0, int count, float[] cols, int c0, int c1) {
        forEachRun(g, n, p0, count, c0, c1, new RunVisitor() {
            @Override
            public void outside(int colAt, int length) {
                Arrays.fill(cols, colAt, colAt + length, 0f);
            }

            @Override
            public void inside(int colAt, int pixelAt, int stride, int length) {
                if (stride == 1) {
                    System.arraycopy(x, pixelAt, cols, colAt, length);
                } else {
                    for (int t = 0; t < length; t++) {
                        cols[colAt + t] = x[pixelAt + t * stride];
                    }
                }
            }
        });
    }

    /** col2im: {@code dx[input pixel under column j] += cols[k][j]} for rows k of channels [c0, c1). */
    static void scatterAdd(float[] cols, ConvGradGeometry g, int n, int p0, int count, float[] dx, int c0,
                           int c1) {
        forEachRun(g, n, p0, count, c0, c1, new RunVisitor() {
            @Override
            public void outside(int colAt, int length) {
                // padding: no input pixel receives these values
            }

            @Override
            public void inside(int colAt, int pixelAt, int stride, int length) {
                for (int t = 0; t < length; t++) {
                    dx[pixelAt + t * stride] += cols[colAt + t];
                }
            }
        });
    }

    /** The two kinds of run along one window row of one output-row segment. */
    private interface RunVisitor {
        /** Block entries {@code cols[colAt .. colAt+length)} fall on padding. */
        void outside(int colAt, int length);

        /** Block entries {@code cols[colAt + t]} sit over input element {@code pixelAt + t*stride}. */
        void inside(int colAt, int pixelAt, int stride, int length);
    }

    private static void forEachRun(ConvGradGeometry g, int n, int p0, int count, int c0, int c1, RunVisitor v) {
        Conv2dParams p = g.params();
        int w = g.width();
        int sw = p.strideW();
        for (int c = c0; c < c1; c++) {
            int planeBase = (n * g.channels() + c) * g.plane();
            for (int ky = 0; ky < g.kernelH(); ky++) {
                for (int kx = 0; kx < g.kernelW(); kx++) {
                    int rowAt = ((c * g.kernelH() + ky) * g.kernelW() + kx) * count;
                    for (int q = p0; q < p0 + count; ) {
                        int oy = q / g.outW();
                        int ox0 = q % g.outW();
                        int run = Math.min(g.outW() - ox0, p0 + count - q);
                        int colAt = rowAt + q - p0;
                        q += run;
                        int iy = oy * p.strideH() - p.padH() + ky * p.dilationH();
                        if (iy < 0 || iy >= g.height()) {
                            v.outside(colAt, run);
                            continue;
                        }
                        int ix0 = ox0 * sw - p.padW() + kx * p.dilationW();
                        // pixels t in [from, to) read 0 <= ix0 + t*sw < w; the rest fall on padding
                        int from = ix0 >= 0 ? 0 : Math.min(run, (-ix0 + sw - 1) / sw);
                        int to = ix0 >= w ? from : Math.max(from, Math.min(run, (w - 1 - ix0) / sw + 1));
                        v.outside(colAt, from);
                        if (to > from) {
                            v.inside(colAt + from, planeBase + iy * w + ix0 + from * sw, sw, to - from);
                        }
                        v.outside(colAt + to, run - to);
                    }
                }
            }
        }
    }
}
