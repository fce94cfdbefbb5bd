// conv_backward.cl -- gradients of conv2d (groups = 1) with PyTorch's semantics (torch.nn.grad.conv2d_input /
// conv2d_weight). The general matrix product used for linear layers is in matmul.cl.
//
// Both gradients are gathers: every output element is computed by exactly one work item, so no atomics. No
// local memory: on PoCL's CPU devices local-memory tiling and its barriers cost far more than they save. Each
// work item keeps a small tile of outputs in registers as VECTOR_WIDTH-lane vectors, and its inner loop makes one
// vector load, a few scalar loads that are broadcast, and as many fused multiply-adds, all from memory it walks
// in order. For that the host first stages the operands (staging kernels below), so inner loops never test
// bounds: padding reads zeros, and the vector operand is laid out lanes-last. Loops over the register tile carry
// #pragma unroll: without it PoCL kept the accumulators in memory (measured 2x slower).
//
// Kernels
//   pad_rows                  out (planes, rowsOut, phases, cols) with
//                             out[p,r,ph,j] = in[p, r - top, j*phases + ph - left], 0 where that is outside in
//                             (planes, H, W); splitting a row into its stride phases turns a strided walk along it
//                             into a contiguous one. Global (cols, rowsOut, planes * phases).
//   pack_lanes                a lanes-last copy of the middle axis of in (outer, split, inner), zero past its end:
//                             out (tiles, outer, inner, VW) with out[t,a,b,i] = in[a, t*VW + i, b].
//                             Global (inner, outer, tiles * VECTOR_WIDTH).
//   conv2d_backward_input     dx (N,C,H,W): dx[n,c,h,x] = sum over o, ky, kx of w[o,c,ky,kx] * gy[n,o,oy,ox]
//                             where oy*SH - PH + ky*DH = h and ox*SW - PW + kx*DW = x. Pixels no window reaches
//                             (the last rows/columns when (H + 2PH - DH(KH-1) - 1) % SH != 0) get 0.
//                             Work item: VECTOR_WIDTH channels (the lanes) x INPUT_TILE_X pixels of one row that share
//                             x % SW, so they meet the same taps and read consecutive ox.
//                             Reads w as pack_lanes of (O, C, KH*KW): per channel tile an (O, taps, VW) block, so
//                             each o reads one vector; gy as pad_rows(gy, phases 1, left padL, cols rowWidth).
//                             Global (SW * tilesPerResidue, H, N * channelTiles).
//   conv2d_backward_input_few_channels
//                             the same for C = FEW_CHANNELS <= 4 (the RGB input layer), where lanes over channels
//                             would idle: lanes run over PIXEL_VECTORS vectors of VECTOR_WIDTH pixels of one row
//                             sharing x % SW (consecutive ox), each work item covers all C channels and reads w as
//                             it is, one broadcast per (o, c) for PIXEL_VECTORS multiply-adds (with one vector the
//                             loads outnumbered the multiply-adds). Reads gy (N, O, OH, OW) as it is, not staged:
//                             a vector reaching past either end of a row loads lane by lane, zeros outside (the
//                             staging copy took 10 of 22 ms), its planes gyPlane floats apart (padded planes:
//                             ClBuffer.padded). ResNet-50's 7x7 stride-2 stem at 322 px, batch 3:
//                             21-22 -> 16-19 ms. Global (SW * tilesPerResidue, H, N).
//   conv2d_backward_input_few_channels_s2
//                             the same for SW = 2, DW = 1 (stride-2 RGB stems) with both column residues in one work
//                             item, so each gradient load feeds two taps (see the kernel): the stem above 15.7 ->
//                             12.1 ms. Global (ceil(W / (2 * VECTOR_WIDTH * PIXEL_VECTORS)), H, N).
//   stride_scatter            dx (planes, H, W) with dx[p, y*SH, x*SW] = dense[p, y, x] (dense (planes, OH, OW)),
//                             0 elsewhere: the input gradient of a strided 1x1 convolution from the dense one
//                             (a 1x1 forward convolution with transposed weights); with bit 1 of `terms`, times
//                             factor (planes, H, W), an LRP rule's x * c, with bit 2 plus addend (likewise), in the
//                             same pass. Planes start `*_plane` floats apart (padded planes: ClBuffer.padded). Work
//                             item: one row of dx. Global (planes * H).
//   conv2d_backward_weight    dw (O,C,KH,KW): dw[o,k] = sum over n, oy, ox of gy[n,o,oy,ox] * x[n,c,iy,ix] with
//                             k = (c*KH + ky)*KW + kx, iy = oy*SH - PH + ky*DH, ix = ox*SW - PW + kx*DW (0 outside).
//                             Work item: VECTOR_WIDTH filters (the lanes) x WEIGHT_TILE_K taps.
//                             Reads gy packed lanes-last over O: pack_lanes of (N, O, OH*OW) -> per filter tile a
//                             contiguous (N, OH*OW, VW) stream; x padded: pad_rows(x, top PH, phases SW, left PW,
//                             rows H + 2PH, cols XJ). Global (ceil(C*KH*KW / WEIGHT_TILE_K), ceil(O / VW)).
//
// Layout: NCHW, element (n,c,h,w) at ((n*C + c)*H + h)*W + w (INDEX4 in common.cl); weight (O,C,KH,KW) alike.
// Geometry (strides SH/SW, padding PH/PW, dilation DH/DW) comes as kernel arguments.

#ifndef VECTOR_WIDTH
#define VECTOR_WIDTH 8     // lanes: input channels (input gradient) or filters (weight gradient) (4, 8, 16)
#endif
#ifndef INPUT_TILE_X
#define INPUT_TILE_X 8     // conv2d_backward_input: pixels of one row per work item (1 or more)
#endif
#ifndef FEW_CHANNELS
#define FEW_CHANNELS 3     // conv2d_backward_input_few_channels: the input channel count C it serves (1 to 4)
#endif
#ifndef PIXEL_VECTORS
#define PIXEL_VECTORS 1    // conv2d_backward_input_few_channels: vectors of pixels per work item (1 to 4)
#endif
#ifndef WEIGHT_TILE_K
#define WEIGHT_TILE_K 8    // conv2d_backward_weight: (c,ky,kx) taps per work item (1 or more)
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

__kernel void pack_lanes(__global const float* in_g, __global float* out_g, const int outer, const int split,
                         const int inner, const int tiles) {
    const int b = get_global_id(0);
    const int a = get_global_id(1);
    const int ti = get_global_id(2);
    if (b >= inner || a >= outer || ti >= tiles * VECTOR_WIDTH) {
        return;
    }
    const int s = ti; // = t*VW + i, the index along the split axis
    const int t = ti / VECTOR_WIDTH;
    const int i = ti % VECTOR_WIDTH;
    out_g[(((size_t)t * outer + a) * inner + b) * VECTOR_WIDTH + i] =
            s < split ? in_g[((size_t)a * split + s) * inner + b] : 0.0f;
}

// ---- input gradient ------------------------------------------------------------------------------------

__kernel void stride_scatter(__global const float* dense_g, __global const float* factor_g,
                             __global const float* addend_g, __global float* dx_g, const int planes, const int H,
                             const int W, const int OH, const int OW, const int SH, const int SW, const int terms,
                             const int dense_plane, const int factor_plane, const int addend_plane,
                             const int dx_plane) {
    const int row = get_global_id(0); // plane * H + h
    if (row >= planes * H) {
        return;
    }
    const int plane = row / H;
    const int h = row - plane * H;
    __global float* dx_row = dx_g + (size_t)plane * dx_plane + h * W;
    __global const float* factor_row = factor_g + (size_t)plane * factor_plane + h * W;
    __global const float* addend_row = addend_g + (size_t)plane * addend_plane + h * W;
    const int y = h / SH;
    const bool on_grid_row = h == y * SH && y < OH;
    __global const float* dense_row = dense_g + (size_t)plane * dense_plane + y * OW;
    for (int w = 0; w < W; w++) {
        const int x = w / SW;
        const float v = on_grid_row && w == x * SW && x < OW ? dense_row[x] : 0.0f;
        const float product = (terms & 1) ? factor_row[w] * v : v; // as a multiply after it: 0 * inf is NaN
        dx_row[w] = (terms & 2) ? product + addend_row[w] : product;
    }
}

__kernel void conv2d_backward_input(__global const float* gyp_g, __global const float* wp_g, __global float* dx_g,
                                    const int C, const int H, const int W, const int O, const int OH,
                                    const int KH, const int KW, const int SH, const int SW, const int PH,
                                    const int PW, const int DH, const int DW, const int padL, const int rowWidth,
                                    const int tilesPerResidue, const int channelTiles) {
    const int xTile = get_global_id(0);
    const int h = get_global_id(1);
    const int nc = get_global_id(2);
    const int residue = xTile / tilesPerResidue;
    // pixel t of the tile is x0 + t*SW
    const int x0 = residue + SW * (xTile % tilesPerResidue) * INPUT_TILE_X;
    if (residue >= SW || h >= H || x0 >= W) {
        return;
    }
    const int n = nc / channelTiles;
    const int ct = nc % channelTiles;
    const int stagedPlane = OH * rowWidth;
    const int taps = KH * KW;
    realV acc_p[INPUT_TILE_X];
    #pragma unroll
    for (int t = 0; t < INPUT_TILE_X; t++) {
        acc_p[t] = (realV)(0.0f);
    }
    for (int ky = 0; ky < KH; ky++) {
        const int ty = h + PH - ky * DH;
        const int oy = ty / SH;
        if (ty < 0 || ty - oy * SH != 0 || oy >= OH) {
            continue;
        }
        for (int kx = 0; kx < KW; kx++) {
            const int tx = x0 + PW - kx * DW;
            const int ox0 = tx / SW; // pixel t reads output column ox0 + t (>= -padL: staged zeros there)
            if (tx - ox0 * SW != 0) {
                continue; // no pixel of this residue meets tap kx
            }
            __global const float* gy_p = gyp_g + (size_t)n * O * stagedPlane + oy * rowWidth + padL + ox0;
            __global const float* w_p = wp_g + ((size_t)ct * O * taps + ky * KW + kx) * VECTOR_WIDTH;
            for (int o = 0; o < O; o++) {
                const realV wv = vloadV(0, w_p + (size_t)o * taps * VECTOR_WIDTH);
                __global const float* g_o = gy_p + (size_t)o * stagedPlane;
                #pragma unroll
                for (int t = 0; t < INPUT_TILE_X; t++) {
                    acc_p[t] = fma(wv, (realV)(g_o[t]), acc_p[t]);
                }
            }
        }
    }
    for (int t = 0; t < INPUT_TILE_X && x0 + t * SW < W; t++) {
        float lanes_p[VECTOR_WIDTH];
        vstoreV(acc_p[t], 0, lanes_p);
        for (int i = 0; i < VECTOR_WIDTH && ct * VECTOR_WIDTH + i < C; i++) {
            dx_g[INDEX4((size_t)n, ct * VECTOR_WIDTH + i, h, x0 + t * SW, C, H, W)] = lanes_p[i];
        }
    }
}

// Lanes ox .. ox + VECTOR_WIDTH - 1 of a gradient row of OW values, 0 for those outside it.
inline realV row_lanes_or_zero(__global const float* row_g, int ox, int OW) {
    float lanes_p[VECTOR_WIDTH];
    for (int t = 0; t < VECTOR_WIDTH; t++) {
        lanes_p[t] = ox + t >= 0 && ox + t < OW ? row_g[ox + t] : 0.0f;
    }
    return vloadV(0, lanes_p);
}

// Where the gradient-row vector of lanes first .. first + VECTOR_WIDTH - 1 lies: 0 inside the row of OW values
// (one vector load), 1 wholly outside it (zeros), 2 across an end (lane by lane).
inline int row_vector_kind(int first, int OW) {
    return first >= 0 && first + VECTOR_WIDTH <= OW ? 0 : first >= OW || first + VECTOR_WIDTH <= 0 ? 1 : 2;
}

// That vector of row_g, by its row_vector_kind.
inline realV row_vector(__global const float* row_g, int first, int kind, int OW) {
    return kind == 0 ? vloadV(0, row_g + first) : kind == 1 ? (realV)(0.0f) : row_lanes_or_zero(row_g, first, OW);
}

__kernel void conv2d_backward_input_few_channels(__global const float* gy_g, __global const float* w_g,
                                                 __global float* dx_g, const int H, const int W, const int O,
                                                 const int OH, const int OW, const int KH, const int KW,
                                                 const int SH, const int SW, const int PH, const int PW,
                                                 const int DH, const int DW, const int tilesPerResidue,
                                                 const int gyPlane) {
    const int xTile = get_global_id(0);
    const int h = get_global_id(1);
    const int n = get_global_id(2);
    const int residue = xTile / tilesPerResidue;
    // lane t of vector v handles pixel x0 + (v*VECTOR_WIDTH + t)*SW
    const int x0 = residue + SW * (xTile % tilesPerResidue) * VECTOR_WIDTH * PIXEL_VECTORS;
    if (residue >= SW || h >= H || x0 >= W) {
        return;
    }
    const int taps = KH * KW;
    const int plane = gyPlane; // gy's planes gyPlane floats apart (OH*OW, or more where padded)
    realV acc_p[FEW_CHANNELS][PIXEL_VECTORS];
    #pragma unroll
    for (int c = 0; c < FEW_CHANNELS; c++) {
        #pragma unroll
        for (int v = 0; v < PIXEL_VECTORS; v++) {
            acc_p[c][v] = (realV)(0.0f);
        }
    }
    for (int ky = 0; ky < KH; ky++) {
        const int ty = h + PH - ky * DH;
        const int oy = ty / SH;
        if (ty < 0 || ty - oy * SH != 0 || oy >= OH) {
            continue;
        }
        for (int kx = 0; kx < KW; kx++) {
            const int tx = x0 + PW - kx * DW;
            const int ox0 = tx / SW; // lane t reads output column ox0 + t (exact: tx is a multiple of SW)
            if (tx - ox0 * SW != 0) {
                continue;
            }
            // vectors inside the row load as vectors, those past its ends are zeros, the others load lane by lane
            int kind_p[PIXEL_VECTORS];
            #pragma unroll
            for (int v = 0; v < PIXEL_VECTORS; v++) {
                kind_p[v] = row_vector_kind(ox0 + v * VECTOR_WIDTH, OW);
            }
            __global const float* gy_p = gy_g + (size_t)n * O * plane + oy * OW;
            __global const float* w_tap = w_g + ky * KW + kx;
            for (int o = 0; o < O; o++) {
                realV g_p[PIXEL_VECTORS];
                #pragma unroll
                for (int v = 0; v < PIXEL_VECTORS; v++) {
                    g_p[v] = row_vector(gy_p + (size_t)o * plane, ox0 + v * VECTOR_WIDTH, kind_p[v], OW);
                }
                #pragma unroll
                for (int c = 0; c < FEW_CHANNELS; c++) {
                    const realV wv = (realV)(w_tap[(o * FEW_CHANNELS + c) * taps]);
                    #pragma unroll
                    for (int v = 0; v < PIXEL_VECTORS; v++) {
                        acc_p[c][v] = fma(wv, g_p[v], acc_p[c][v]);
                    }
                }
            }
        }
    }
    for (int c = 0; c < FEW_CHANNELS; c++) {
        __global float* dx_row = dx_g + INDEX4((size_t)n, c, h, 0, FEW_CHANNELS, H, W);
        for (int v = 0; v < PIXEL_VECTORS; v++) {
            float lanes_p[VECTOR_WIDTH];
            vstoreV(acc_p[c][v], 0, lanes_p);
            const int xv = x0 + v * VECTOR_WIDTH * SW;
            for (int t = 0; t < VECTOR_WIDTH && xv + t * SW < W; t++) {
                dx_row[xv + t * SW] = lanes_p[t];
            }
        }
    }
}

// conv2d_backward_input_few_channels with SW = 2 and DW = 1 (a stride-2 RGB stem), both column residues in one
// work item: pixel x0 + r + 2*(v*VECTOR_WIDTH + t) for residue r, vector v, lane t. Tap kx serves residue
// (kx + PW) % 2, and taps kA (residue 0) and kA + 1 (residue 1) read the same gradient columns, so each load
// feeds two taps' multiply-adds. Global (ceil(W / (2 * VECTOR_WIDTH * PIXEL_VECTORS)), H, N).
__kernel void conv2d_backward_input_few_channels_s2(__global const float* gy_g, __global const float* w_g,
                                                    __global float* dx_g, const int H, const int W, const int O,
                                                    const int OH, const int OW, const int KH, const int KW,
                                                    const int SH, const int PH, const int PW, const int DH,
                                                    const int gyPlane) {
    const int x0 = get_global_id(0) * 2 * VECTOR_WIDTH * PIXEL_VECTORS; // even
    const int h = get_global_id(1);
    const int n = get_global_id(2);
    if (h >= H || x0 >= W) {
        return;
    }
    const int taps = KH * KW;
    const int plane = gyPlane; // gy's planes gyPlane floats apart (OH*OW, or more where padded)
    realV acc_p[FEW_CHANNELS][2][PIXEL_VECTORS];
    #pragma unroll
    for (int c = 0; c < FEW_CHANNELS; c++) {
        #pragma unroll
        for (int v = 0; v < PIXEL_VECTORS; v++) {
            acc_p[c][0][v] = (realV)(0.0f);
            acc_p[c][1][v] = (realV)(0.0f);
        }
    }
    for (int ky = 0; ky < KH; ky++) {
        const int ty = h + PH - ky * DH;
        const int oy = ty / SH;
        if (ty < 0 || ty - oy * SH != 0 || oy >= OH) {
            continue;
        }
        // kA = tap of residue 0 (kA = PW mod 2), kA + 1 that of residue 1; kA = -1 or kA + 1 = KW: one tap only
        for (int kA = (PW & 1) ? -1 : 0; kA < KW; kA += 2) {
            const int ox0 = (x0 + PW - kA) / 2; // exact: x0 + PW - kA is even
            int kind_p[PIXEL_VECTORS];
            #pragma unroll
            for (int v = 0; v < PIXEL_VECTORS; v++) {
                kind_p[v] = row_vector_kind(ox0 + v * VECTOR_WIDTH, OW);
            }
            const bool hasA = kA >= 0;
            const bool hasB = kA + 1 < KW;
            __global const float* gy_p = gy_g + (size_t)n * O * plane + oy * OW;
            __global const float* w_a = w_g + ky * KW + kA;
            for (int o = 0; o < O; o++) {
                realV g_p[PIXEL_VECTORS];
                __global const float* row_g = gy_p + (size_t)o * plane;
                #pragma unroll
                for (int v = 0; v < PIXEL_VECTORS; v++) {
                    g_p[v] = row_vector(row_g, ox0 + v * VECTOR_WIDTH, kind_p[v], OW);
                }
                #pragma unroll
                for (int c = 0; c < FEW_CHANNELS; c++) {
                    __global const float* w_oc = w_a + (o * FEW_CHANNELS + c) * taps;
                    const realV wa = (realV)(hasA ? w_oc[0] : 0.0f);
                    const realV wb = (realV)(hasB ? w_oc[1] : 0.0f);
                    #pragma unroll
                    for (int v = 0; v < PIXEL_VECTORS; v++) {
                        acc_p[c][0][v] = fma(wa, g_p[v], acc_p[c][0][v]);
                        acc_p[c][1][v] = fma(wb, g_p[v], acc_p[c][1][v]);
                    }
                }
            }
        }
    }
    for (int c = 0; c < FEW_CHANNELS; c++) {
        __global float* dx_row = dx_g + INDEX4((size_t)n, c, h, 0, FEW_CHANNELS, H, W);
        for (int v = 0; v < PIXEL_VECTORS; v++) {
            float even_p[VECTOR_WIDTH];
            float odd_p[VECTOR_WIDTH];
            vstoreV(acc_p[c][0][v], 0, even_p);
            vstoreV(acc_p[c][1][v], 0, odd_p);
            const int xv = x0 + 2 * v * VECTOR_WIDTH;
            for (int t = 0; t < VECTOR_WIDTH && xv + 2 * t < W; t++) {
                dx_row[xv + 2 * t] = even_p[t];
                if (xv + 2 * t + 1 < W) {
                    dx_row[xv + 2 * t + 1] = odd_p[t];
                }
            }
        }
    }
}

// ---- weight gradient -----------------------------------------------------------------------------------

__kernel void conv2d_backward_weight(__global const float* gyp_g, __global const float* xp_g, __global float* dw_g,
                                     const int N, const int C, const int O, const int OH, const int OW,
                                     const int KH, const int KW, const int SH, const int SW, const int DH,
                                     const int DW, const int XH, const int XJ) {
    const int k0 = get_global_id(0) * WEIGHT_TILE_K;
    const int ot = get_global_id(1);
    const int filter = C * KH * KW;
    if (k0 >= filter || ot * VECTOR_WIDTH >= O) {
        return;
    }
    const int xRow = SW * XJ; // one staged input row: SW phases of XJ values
    int xOff_p[WEIGHT_TILE_K]; // staged x of tap k at output pixel (oy, ox): xOff + oy*SH*xRow + ox
    #pragma unroll
    for (int j = 0; j < WEIGHT_TILE_K; j++) {
        const int k = min(k0 + j, filter - 1);
        const int c = k / (KH * KW);
        const int ky = k / KW % KH;
        const int col = k % KW * DW; // ix + PW = ox*SW + col
        xOff_p[j] = (c * XH + ky * DH) * xRow + col % SW * XJ + col / SW;
    }
    realV acc_p[WEIGHT_TILE_K];
    #pragma unroll
    for (int j = 0; j < WEIGHT_TILE_K; j++) {
        acc_p[j] = (realV)(0.0f);
    }
    __global const float* g_p = gyp_g + (size_t)ot * N * OH * OW * VECTOR_WIDTH;
    for (int n = 0; n < N; n++) {
        __global const float* x_n = xp_g + (size_t)n * C * XH * xRow;
        for (int oy = 0; oy < OH; oy++) {
            __global const float* x_row = x_n + oy * SH * xRow;
            for (int ox = 0; ox < OW; ox++) {
                const realV gv = vloadV(ox, g_p);
                #pragma unroll
                for (int j = 0; j < WEIGHT_TILE_K; j++) {
                    acc_p[j] = fma(gv, (realV)(x_row[xOff_p[j] + ox]), acc_p[j]);
                }
            }
            g_p += OW * VECTOR_WIDTH;
        }
    }
    for (int j = 0; j < WEIGHT_TILE_K && k0 + j < filter; j++) {
        float lanes_p[VECTOR_WIDTH];
        vstoreV(acc_p[j], 0, lanes_p);
        for (int i = 0; i < VECTOR_WIDTH && ot * VECTOR_WIDTH + i < O; i++) {
            dw_g[(size_t)(ot * VECTOR_WIDTH + i) * filter + k0 + j] = lanes_p[i];
        }
    }
}
