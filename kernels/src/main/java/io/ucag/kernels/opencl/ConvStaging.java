package io.ucag.kernels.opencl;

import io.ucag.runtime.Shape;
import io.ucag.runtime.ops.Conv2dParams;

/**
 * How {@code conv.cl}'s conv2d reads its input (see the file header): the staged layout
 * (N*C, phasesH*phasesW, plane) with rows of {@code cols} values, and each tap's offset within a channel.
 *
 * @param direct     true when x itself is the staged input (1x1, stride 1, no padding, >= TILE_PX pixels)
 * @param cols       COLS: row length of the flat pixel grid; its columns at or past OW are dropped
 * @param phasesH    stride phases along H that some tap reads: SH, or 1 when every ky*DH is a multiple of SH
 * @param phasesW    likewise along W
 * @param plane      floats per phase
 * @param tapOffsets offset of tap ky*KW + kx within one channel's phasesH*phasesW*plane floats
 */
record ConvStaging(boolean direct, int cols, int phasesH, int phasesW, int plane, int[] tapOffsets) {

    static ConvStaging of(Shape input, Shape weight, Conv2dParams p, int tilePx) {
        return of(input, weight, p, tilePx, input.dim(2) * input.dim(3));
    }

    /** The same for an input whose (n, c) planes start {@code inputPlane} floats apart (H*W, or padded). */
    static ConvStaging of(Shape input, Shape weight, Conv2dParams p, int tilePx, int inputPlane) {
        int h = input.dim(2);
        int w = input.dim(3);
        int kh = weight.dim(2);
        int kw = weight.dim(3);
        int oh = p.outH(h, kh);
        int ow = p.outW(w, kw);
        boolean pointwise = kh == 1 && kw == 1 && p.strideH() == 1 && p.strideW() == 1 && p.padH() == 0
                && p.padW() == 0;
        if (pointwise && oh * ow >= tilePx) {
            return new ConvStaging(true, w, 1, 1, inputPlane, new int[] {0});
        }
        int phasesH = kh == 1 || p.dilationH() % p.strideH() == 0 ? 1 : p.strideH();
        int phasesW = kw == 1 || p.dilationW() % p.strideW() == 0 ? 1 : p.strideW();
        int maxRowOffset = (kh - 1) * p.dilationH() / p.strideH();
        int maxColOffset = (kw - 1) * p.dilationW() / p.strideW();
        int cols = ow + maxColOffset;
        int plane = Math.max(oh * cols, tilePx) + maxRowOffset * cols + maxColOffset;
        int[] taps = new int[kh * kw];
        for (int ky = 0; ky < kh; ky++) {
            for (int kx = 0; kx < kw; kx++) {
                int dy = ky * p.dilationH();
                int dx = kx * p.dilationW();
                int phase = dy % p.strideH() * phasesW + dx % p.strideW();
                taps[ky * kw + kx] = phase * plane + dy / p.strideH() * cols + dx / p.strideW();
            }
        }
        return new ConvStaging(false, cols, phasesH, phasesW, plane, taps);
    }

    int phases() {
        return phasesH * phasesW;
    }

    /** Floats between consecutive channels of the staged input. */
    int channelStride() {
        return phases() * plane;
    }
}
