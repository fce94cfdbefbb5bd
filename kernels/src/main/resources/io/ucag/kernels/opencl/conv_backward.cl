// conv_backward.cl -- gradients of conv2d (groups = 1) with PyTorch's semantics (torch.nn.grad.conv2d_input /
// conv2d_weight). The general matrix product used for linear layers is in matmul.cl.
//
// Kernels (gather formulation: every output element is computed by exactly one work item, so no atomics; no
// local memory: on PoCL's CPU devices local-memory tiling and its barriers cost far more than they save.
// Each work item instead keeps a small tile of outputs in registers, VECTOR_WIDTH lanes wide):
//   conv2d_backward_input   dx (N,C,H,W): dx[n,c,h,x] = sum over o, ky, kx of w[o,c,ky,kx] * gy[n,o,oy,ox]
//                           where oy*SH - PH + ky*DH = h and ox*SW - PW + kx*DW = x. Pixels no window reaches
//                           (the last rows/columns when (H + 2PH - DH(KH-1) - 1) % SH != 0) get 0.
//                           Work item: INPUT_TILE_C channels x VECTOR_WIDTH pixels of one row that share
//                           x % SW, so all lanes meet the same kernel taps and consecutive ox (one vector load).
//                           Global size (SW * tilesPerResidue, H, N * channelTiles).
//   conv2d_backward_weight  dw (O,C,KH,KW): dw[o,k] = sum over n, oy, ox of gy[n,o,oy,ox] * x[n,c,iy,ix] with
//                           k = (c*KH + ky)*KW + kx, iy = oy*SH - PH + ky*DH, ix = ox*SW - PW + kx*DW (0 outside).
//                           Work item: WEIGHT_TILE_O filters x WEIGHT_TILE_K taps; lanes run over VECTOR_WIDTH
//                           consecutive output pixels and are summed at the end.
//                           Global size (ceil(C*KH*KW / WEIGHT_TILE_K), ceil(O / WEIGHT_TILE_O)).
//
// Layout: NCHW, element (n,c,h,w) at ((n*C + c)*H + h)*W + w (INDEX4 in common.cl); weight (O,C,KH,KW) alike.
// Geometry (strides SH/SW, padding PH/PW, dilation DH/DW) comes as kernel arguments.
// Any size works: tiles hanging over an edge read zeros (or clamped indices) and store only what is inside.

#ifndef VECTOR_WIDTH
#define VECTOR_WIDTH 8     // lanes per vector: pixels per work item (4, 8, 16)
#endif
#ifndef INPUT_TILE_C
#define INPUT_TILE_C 4     // conv2d_backward_input: input channels per work item (1 or more)
#endif
#ifndef WEIGHT_TILE_O
#define WEIGHT_TILE_O 4    // conv2d_backward_weight: filters per work item (1 or more)
#endif
#ifndef WEIGHT_TILE_K
#define WEIGHT_TILE_K 4    // conv2d_backward_weight: (c,ky,kx) taps per work item (1 or more)
#endif

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define realV CAT(float, VECTOR_WIDTH)      // a vector of VECTOR_WIDTH floats
#define vloadV CAT(vload, VECTOR_WIDTH)
#define vstoreV CAT(vstore, VECTOR_WIDTH)

// ---- input gradient ------------------------------------------------------------------------------------

__kernel void conv2d_backward_input(__global const float* gy_g, __global const float* w_g, __global float* dx_g,
                                    const int C, const int H, const int W, const int O, const int OH,
                                    const int OW, const int KH, const int KW, const int SH, const int SW,
                                    const int PH, const int PW, const int DH, const int DW,
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
    const int outPlane = OH * OW;
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
            const int ox0 = tx / SW; // lane t reads output column ox0 + t
            if (tx - ox0 * SW != 0) {
                continue; // no lane of this residue meets tap kx
            }
            __global const float* gy_row = gy_g + (size_t)n * O * outPlane + oy * OW; // column 0, filter 0
            __global const float* w_tap = w_g + ky * KW + kx;
            if (ox0 >= 0 && ox0 + VECTOR_WIDTH <= OW) {
                for (int o = 0; o < O; o++) {
                    const realV g = vloadV(0, gy_row + (size_t)o * outPlane + ox0);
                    for (int i = 0; i < INPUT_TILE_C; i++) {
                        acc_p[i] = fma((realV)(w_tap[o * filter + wBase_p[i]]), g, acc_p[i]);
                    }
                }
            } else if (ox0 + VECTOR_WIDTH > 0 && ox0 < OW) {
                for (int o = 0; o < O; o++) {
                    float lanes_p[VECTOR_WIDTH];
                    for (int t = 0; t < VECTOR_WIDTH; t++) {
                        const int ox = ox0 + t;
                        lanes_p[t] = ox >= 0 && ox < OW ? gy_row[(size_t)o * outPlane + ox] : 0.0f;
                    }
                    const realV g = vloadV(0, lanes_p);
                    for (int i = 0; i < INPUT_TILE_C; i++) {
                        acc_p[i] = fma((realV)(w_tap[o * filter + wBase_p[i]]), g, acc_p[i]);
                    }
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

__kernel void conv2d_backward_weight(__global const float* gy_g, __global const float* x_g, __global float* dw_g,
                                     const int N, const int C, const int H, const int W, const int O,
                                     const int OH, const int OW, const int KH, const int KW, const int SH,
                                     const int SW, const int PH, const int PW, const int DH, const int DW) {
    const int k0 = get_global_id(0) * WEIGHT_TILE_K;
    const int o0 = get_global_id(1) * WEIGHT_TILE_O;
    const int filter = C * KH * KW;
    if (k0 >= filter || o0 >= O) {
        return;
    }
    const int outPlane = OH * OW;
    int plane_p[WEIGHT_TILE_K]; // offset of channel c within an image
    int dy_p[WEIGHT_TILE_K];    // iy = oy*SH + dy
    int dx_p[WEIGHT_TILE_K];    // ix = ox*SW + dx
    for (int j = 0; j < WEIGHT_TILE_K; j++) {
        const int k = min(k0 + j, filter - 1);
        const int c = k / (KH * KW);
        const int ky = k / KW % KH;
        const int kx = k % KW;
        plane_p[j] = c * H * W;
        dy_p[j] = ky * DH - PH;
        dx_p[j] = kx * DW - PW;
    }
    realV acc_p[WEIGHT_TILE_O][WEIGHT_TILE_K];
    for (int i = 0; i < WEIGHT_TILE_O; i++) {
        for (int j = 0; j < WEIGHT_TILE_K; j++) {
            acc_p[i][j] = (realV)(0.0f);
        }
    }
    for (int n = 0; n < N; n++) {
        __global const float* x_n = x_g + (size_t)n * C * H * W;
        __global const float* gy_n = gy_g + (size_t)n * O * outPlane;
        for (int oy = 0; oy < OH; oy++) {
            for (int ox0 = 0; ox0 < OW; ox0 += VECTOR_WIDTH) {
                realV g_p[WEIGHT_TILE_O];
                const bool fullG = ox0 + VECTOR_WIDTH <= OW;
                for (int i = 0; i < WEIGHT_TILE_O; i++) {
                    __global const float* gy_row = gy_n + (size_t)min(o0 + i, O - 1) * outPlane + oy * OW + ox0;
                    if (fullG) {
                        g_p[i] = vloadV(0, gy_row);
                    } else {
                        float lanes_p[VECTOR_WIDTH];
                        for (int t = 0; t < VECTOR_WIDTH; t++) {
                            lanes_p[t] = ox0 + t < OW ? gy_row[t] : 0.0f; // zero lanes past the row end
                        }
                        g_p[i] = vloadV(0, lanes_p);
                    }
                }
                for (int j = 0; j < WEIGHT_TILE_K; j++) {
                    const int iy = oy * SH + dy_p[j];
                    if (iy < 0 || iy >= H) {
                        continue;
                    }
                    __global const float* x_row = x_n + plane_p[j] + iy * W;
                    const int ix0 = ox0 * SW + dx_p[j];
                    realV xv;
                    if (SW == 1 && ix0 >= 0 && ix0 + VECTOR_WIDTH <= W) {
                        xv = vloadV(0, x_row + ix0);
                    } else {
                        float lanes_p[VECTOR_WIDTH];
                        for (int t = 0; t < VECTOR_WIDTH; t++) {
                            const int ix = ix0 + t * SW;
                            lanes_p[t] = ix >= 0 && ix < W ? x_row[ix] : 0.0f;
                        }
                        xv = vloadV(0, lanes_p);
                    }
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
