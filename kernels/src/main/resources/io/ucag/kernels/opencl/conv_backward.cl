// conv_backward.cl -- gradients of conv2d (groups = 1) with PyTorch's semantics (torch.nn.grad.conv2d_input /
// conv2d_weight). The general matrix product used for linear layers is in matmul.cl.
//
// Kernels (gather formulation: every output element is computed by exactly one work item, so no atomics; no
// local memory: on PoCL's CPU devices local-memory tiling and its barriers cost far more than they save.
// Each work item instead keeps a small tile of outputs in registers, VECTOR_WIDTH lanes wide, and its inner
// loop does only unconditional vector loads: the host first stages zero-padded copies with pad_rows below,
// so lanes that fall outside the image read zeros instead of taking a masked path):
//   pad_rows                out (planes, rowsOut, phases, cols): out[p,r,ph,j] = in[p, r - top, j*phases + ph - left],
//                           0 where that is outside in (planes, H, W). phases = stride splits each row into its
//                           stride phases, so a strided walk along a row becomes a contiguous one.
//                           Global size (cols, rowsOut, planes * phases).
//   conv2d_backward_input   dx (N,C,H,W): dx[n,c,h,x] = sum over o, ky, kx of w[o,c,ky,kx] * gy[n,o,oy,ox]
//                           where oy*SH - PH + ky*DH = h and ox*SW - PW + kx*DW = x. Pixels no window reaches
//                           (the last rows/columns when (H + 2PH - DH(KH-1) - 1) % SH != 0) get 0.
//                           Work item: INPUT_TILE_C channels x VECTOR_WIDTH pixels of one row that share
//                           x % SW, so all lanes meet the same taps and consecutive ox (one vector load).
//                           Reads gy staged as (N*O, OH, 1, padL + OW + padR). Global size
//                           (SW * tilesPerResidue, H, N * channelTiles).
//   conv2d_backward_weight  dw (O,C,KH,KW): dw[o,k] = sum over n, oy, ox of gy[n,o,oy,ox] * x[n,c,iy,ix] with
//                           k = (c*KH + ky)*KW + kx, iy = oy*SH - PH + ky*DH, ix = ox*SW - PW + kx*DW (0 outside).
//                           Work item: WEIGHT_TILE_O filters x WEIGHT_TILE_K taps; lanes run over VECTOR_WIDTH
//                           consecutive output pixels and are summed at the end. Reads gy staged as
//                           (N*O, OH, 1, OWV) with OWV = OW rounded up to VECTOR_WIDTH, and x staged as
//                           (N*C, H + 2PH, SW, XJ) with top = PH, left = PW. Global size
//                           (ceil(C*KH*KW / WEIGHT_TILE_K), ceil(O / WEIGHT_TILE_O)).
//
// Layout: NCHW, element (n,c,h,w) at ((n*C + c)*H + h)*W + w (INDEX4 in common.cl); weight (O,C,KH,KW) alike.
// Geometry (strides SH/SW, padding PH/PW, dilation DH/DW) comes as kernel arguments.

#ifndef VECTOR_WIDTH
#define VECTOR_WIDTH 8     // lanes per vector: pixels per work item (4, 8, 16)
#endif
#ifndef INPUT_TILE_C
#define INPUT_TILE_C 8     // conv2d_backward_input: input channels per work item (1 or more)
#endif
#ifndef WEIGHT_TILE_O
#define WEIGHT_TILE_O 8    // conv2d_backward_weight: filters per work item (1 or more)
#endif
#ifndef WEIGHT_TILE_K
#define WEIGHT_TILE_K 4    // conv2d_backward_weight: (c,ky,kx) taps per work item (1 or more)
#endif

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define realV CAT(float, VECTOR_WIDTH)      // a vector of VECTOR_WIDTH floats
#define vloadV CAT(vload, VECTOR_WIDTH)
#define vstoreV CAT(vstore, VECTOR_WIDTH)

// ---- staging -------------------------------------------------------------------------------------------

__kernel void pad_rows(__global const float* in_g, __global float* out_g, const int planes, const int H,
                       const int W, const int rowsOut, const int phases, const int cols, const int top,
                       const int left) {
    const int j = get_global_id(0);
    const int r = get_global_id(1);
    const int pp = get_global_id(2);
    if (j >= cols || r >= rowsOut || pp >= planes * phases) {
        return;
    }
    const int p = pp / phases;
    const int ph = pp % phases;
    const int h = r - top;
    const int w = j * phases + ph - left;
    const bool inside = h >= 0 && h < H && w >= 0 && w < W;
    out_g[(((size_t)p * rowsOut + r) * phases + ph) * cols + j] = inside ? in_g[((size_t)p * H + h) * W + w] : 0.0f;
}

// ---- input gradient ------------------------------------------------------------------------------------

__kernel void conv2d_backward_input(__global const float* gyp_g, __global const float* w_g, __global float* dx_g,
                                    const int C, const int H, const int W, const int O, const int OH,
                                    const int KH, const int KW, const int SH, const int SW, const int PH,
                                    const int PW, const int DH, const int DW, const int padL, const int rowWidth,
                                    const int tilesPerResidue, const int channelTiles) {
    const int xTile = get_global_id(0);
    const int h = get_global_id(1);
    const int nc = get_global_id(2);
    const int residue = xTile / tilesPerResidue;
    // lane t handles pixel x0 + t*SW
    const int x0 = residue + SW * (xTile % tilesPerResidue) * VECTOR_WIDTH;
    if (residue >= SW || h >= H || x0 >= W) {
        return;
    }
    const int n = nc / channelTiles;
    const int c0 = (nc % channelTiles) * INPUT_TILE_C;
    const int taps = KH * KW;
    const int filter = C * taps;
    const int stagedPlane = OH * rowWidth;
    int wBase_p[INPUT_TILE_C]; // w[0, c, 0, 0] of each channel of the tile (clamped to the last channel)
    for (int i = 0; i < INPUT_TILE_C; i++) {
        wBase_p[i] = min(c0 + i, C - 1) * taps;
    }
    realV acc_p[INPUT_TILE_C];
    for (int i = 0; i < INPUT_TILE_C; i++) {
        acc_p[i] = (realV)(0.0f);
    }
    for (int ky = 0; ky < KH; ky++) {
        const int ty = h + PH - ky * DH;
        const int oy = ty / SH;
        if (ty < 0 || ty - oy * SH != 0 || oy >= OH) {
            continue;
        }
        for (int kx = 0; kx < KW; kx++) {
            const int tx = x0 + PW - kx * DW;
            const int ox0 = tx / SW; // lane t reads output column ox0 + t (>= -padL: staged zeros there)
            if (tx - ox0 * SW != 0) {
                continue; // no lane of this residue meets tap kx
            }
            __global const float* gy_p = gyp_g + (size_t)n * O * stagedPlane + oy * rowWidth + padL + ox0;
            __global const float* w_tap = w_g + ky * KW + kx;
            for (int o = 0; o < O; o++) {
                const realV g = vloadV(0, gy_p + (size_t)o * stagedPlane);
                for (int i = 0; i < INPUT_TILE_C; i++) {
                    acc_p[i] = fma((realV)(w_tap[o * filter + wBase_p[i]]), g, acc_p[i]);
                }
            }
        }
    }
    for (int i = 0; i < INPUT_TILE_C && c0 + i < C; i++) {
        float lanes_p[VECTOR_WIDTH];
        vstoreV(acc_p[i], 0, lanes_p);
        __global float* dx_row = dx_g + INDEX4((size_t)n, c0 + i, h, 0, C, H, W);
        for (int t = 0; t < VECTOR_WIDTH && x0 + t * SW < W; t++) {
            dx_row[x0 + t * SW] = lanes_p[t];
        }
    }
}

// ---- weight gradient -----------------------------------------------------------------------------------

__kernel void conv2d_backward_weight(__global const float* gyp_g, __global const float* xp_g, __global float* dw_g,
                                     const int N, const int C, const int O, const int OH, const int OWV,
                                     const int KH, const int KW, const int SH, const int SW, const int DH,
                                     const int DW, const int XH, const int XJ) {
    const int k0 = get_global_id(0) * WEIGHT_TILE_K;
    const int o0 = get_global_id(1) * WEIGHT_TILE_O;
    const int filter = C * KH * KW;
    if (k0 >= filter || o0 >= O) {
        return;
    }
    const int xRow = SW * XJ; // one staged input row: SW phases of XJ values
    int xOff_p[WEIGHT_TILE_K]; // staged x of tap k at output pixel (oy, ox): xOff + oy*SH*xRow + ox
    for (int j = 0; j < WEIGHT_TILE_K; j++) {
        const int k = min(k0 + j, filter - 1);
        const int c = k / (KH * KW);
        const int ky = k / KW % KH;
        const int col = k % KW * DW; // ix + PW = ox*SW + col
        xOff_p[j] = (c * XH + ky * DH) * xRow + col % SW * XJ + col / SW;
    }
    int gOff_p[WEIGHT_TILE_O];
    for (int i = 0; i < WEIGHT_TILE_O; i++) {
        gOff_p[i] = min(o0 + i, O - 1) * OH * OWV;
    }
    realV acc_p[WEIGHT_TILE_O][WEIGHT_TILE_K];
    for (int i = 0; i < WEIGHT_TILE_O; i++) {
        for (int j = 0; j < WEIGHT_TILE_K; j++) {
            acc_p[i][j] = (realV)(0.0f);
        }
    }
    for (int n = 0; n < N; n++) {
        __global const float* x_n = xp_g + (size_t)n * C * XH * xRow;
        __global const float* gy_n = gyp_g + (size_t)n * O * OH * OWV;
        for (int oy = 0; oy < OH; oy++) {
            __global const float* x_row = x_n + oy * SH * xRow;
            __global const float* gy_row = gy_n + oy * OWV;
            for (int ox0 = 0; ox0 < OWV; ox0 += VECTOR_WIDTH) {
                realV g_p[WEIGHT_TILE_O];
                for (int i = 0; i < WEIGHT_TILE_O; i++) {
                    g_p[i] = vloadV(0, gy_row + gOff_p[i] + ox0);
                }
                for (int j = 0; j < WEIGHT_TILE_K; j++) {
                    const realV xv = vloadV(0, x_row + xOff_p[j] + ox0);
                    for (int i = 0; i < WEIGHT_TILE_O; i++) {
                        acc_p[i][j] = fma(g_p[i], xv, acc_p[i][j]);
                    }
                }
            }
        }
    }
    for (int i = 0; i < WEIGHT_TILE_O && o0 + i < O; i++) {
        for (int j = 0; j < WEIGHT_TILE_K && k0 + j < filter; j++) {
            float lanes_p[VECTOR_WIDTH];
            vstoreV(acc_p[i][j], 0, lanes_p);
            float sum = 0.0f;
            for (int t = 0; t < VECTOR_WIDTH; t++) {
                sum += lanes_p[t];
            }
            dw_g[(size_t)(o0 + i) * filter + k0 + j] = sum;
        }
    }
}
