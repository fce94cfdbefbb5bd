// conv.cl -- forward conv2d (groups = 1) and linear with PyTorch's semantics (F.conv2d, F.linear).
//
// conv2d is an implicit GEMM, y (O x pixels) = w (O x C*KH*KW) * (input gathered by taps), without local memory
// (on PoCL's CPU devices local tiles and their barriers cost far more than they save). A work item keeps
// TILE_OC output channels x TILE_PX output pixels in registers, TILE_OC vectors of TILE_PX lanes; its inner
// loop per tap is one unconditional vector load of the input and TILE_OC FMAs with a broadcast weight. For
// that, the TILE_PX pixels of a tap must be consecutive floats whatever the stride, padding and dilation, so
// the host first stages the input (one cheap pass, skipped for 1x1 stride-1 unpadded convs):
//   stage_input   xs (N*C, PHASES_H*PHASES_W, PLANE): x with its padding made of zeros and each plane split into
//                 stride phases, rows of COLS values: xs[p, ph*PHASES_W + pw, r*COLS + j] =
//                 x[p, r*SH + ph - PH, j*SW + pw - PW], 0 outside x. Output pixel (oy, ox) at tap (ky, kx)
//                 reads phase ((ky*DH) % SH, (kx*DW) % SW) at r*COLS + j = (oy*COLS + ox) + (ky*DH / SH)*COLS
//                 + kx*DW / SW: a flat pixel index q = oy*COLS + ox plus a per-tap constant, so TILE_PX
//                 consecutive q are one vector load. The COLS - OW columns ox >= OW of each grid row are
//                 computed and dropped. PLANE = max(OH*COLS, TILE_PX) + the largest tap offset keeps every
//                 load inside its plane. A phase no tap reads is not staged (PHASES_H = 1 when DH % SH == 0 or
//                 KH == 1, e.g. a 1x1 stride-2 conv stages one phase). Work item: one staged row.
//                 Global size (ceil(PLANE / COLS), PHASES_H*PHASES_W, N*C).
//                 For 1x1 stride-1 unpadded convs with OH*OW >= TILE_PX, x itself is the staged input (COLS = W,
//                 PLANE = x's plane stride: H*W, or more where its planes are padded, one phase). stage_input reads
//                 x's planes xPlane floats apart likewise.
//   conv2d        y (N,O,OH,OW) = sum over c, ky, kx of w[o, c, ky, kx] * xs[n*C + c, taps_g[ky*KW + kx] + q] (+ b[o])
//                 (+ r[n, o, oy, ox]) (ReLU) (r / ., r * .) (+ a[n, o, oy, ox]), summed in (c, ky, kx) order, the
//                 epilogue in brackets chosen by the bits of `epilogue` (EPILOGUE_*; with EPILOGUE_KEEP the value
//                 after the bias is also stored to k[n, o, oy, ox]); taps_g holds each tap's offset
//                 within one channel's staged block (phase*PLANE + row offset*COLS + column offset). Weights are read
//                 in place: each of the TILE_OC filters is one sequential stream, which was faster than a per-call
//                 repacking pass into a (C*KH*KW, O) layout. Work item: channels o0 .. o0+TILE_OC-1 (past O: the last
//                 filter again, not stored) x pixels q0 .. q0+TILE_PX-1 of one image (the last tile of an image moves
//                 back to end at OH*COLS; its overlap with the previous tile is written twice with the same values).
//                 Channel tiles run fastest: the tiles of one pixel block share its input in cache. Global size
//                 (ceil(O / TILE_OC), ceil(OH*COLS / TILE_PX), N). Image n reads its weights at
//                 w + n*weightStride: 0 for a convolution, O*C for winograd.cl's 36 GEMMs (one weight matrix each).
//
// linear y (N,M) = x (N,K) * w (M,K)^T (+ b) has two forms:
//   linear        small batches, bandwidth-bound on w: a work item streams LINEAR_TILE_M weight rows once for
//                 LINEAR_TILE_N batch rows, LINEAR_VECTOR values of k per load, summed per lane and then across
//                 lanes (then the K % LINEAR_VECTOR tail). Rows past M or N repeat the last one, not stored.
//                 Global size (ceil(N / LINEAR_TILE_N), ceil(M / LINEAR_TILE_M)).
//   flip_transpose w (O,C,KH,KW) -> (C,O,KH,KW) with each kernel reversed: the transposed convolution's weight,
//                 for input gradients of stride-1 and 1x1 convolutions (ClConvBackward). Global size (O).
//   transpose     out (S, RP) = in (R, S)^T, zero columns R .. RP-1. Global size (S). With it, a large batch
//                 runs conv2d as a 1x1 conv: x^T (K, N) is the staged input (C = K, one row of N pixels) and
//                 y^T (M, N) comes back transposed.
//
// Layout: NCHW, element (n,c,h,w) at ((n*C + c)*H + h)*W + w (INDEX4 in common.cl), except that conv2d's output,
// operand, addend and kept planes start outPlane, operandPlane, addendPlane and keptPlane floats apart (OH*OW, or
// more where planes are padded to whole vectors: ClBuffer.padded) and its direct input's channelStride apart; weight
// (O,C,KH,KW) alike, i.e. (O, C*KH*KW) row-major with k = (c*KH + ky)*KW + kx. Matrices are row-major. Geometry comes
// as kernel arguments.

#ifndef TILE_OC
#define TILE_OC 8          // conv2d: output channels per work item (1, 2, 4, 8, 16)
#endif
#ifndef TILE_PX
#define TILE_PX 16         // conv2d: output pixels per work item, one vector (4, 8, 16)
#endif
#ifndef POINTWISE
#define POINTWISE 0        // conv2d: 1 when the launch has one tap at offset 0 (a 1x1 conv), set per launch
#endif
#ifndef LINEAR_TILE_M
#define LINEAR_TILE_M 4    // linear: output features per work item (1 .. 16)
#endif
#ifndef LINEAR_TILE_N
#define LINEAR_TILE_N 4    // linear: batch rows per work item (1 .. 16)
#endif
#ifndef LINEAR_VECTOR
#define LINEAR_VECTOR 16   // linear: values of k per load (4, 8, 16)
#endif

// conv2d's epilogue, bits of its `epilogue` argument, applied in this order to each output before it is stored:
// EPILOGUE_* bits and epilogue_tail: common.cl

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define pixelV CAT(float, TILE_PX)          // TILE_PX pixels
#define vloadPx CAT(vload, TILE_PX)
#define vstorePx CAT(vstore, TILE_PX)
#define linearV CAT(float, LINEAR_VECTOR)   // LINEAR_VECTOR consecutive k
#define vloadK CAT(vload, LINEAR_VECTOR)
#define vstoreK CAT(vstore, LINEAR_VECTOR)

// Loops over register tiles are unrolled so that their arrays live in registers, not on the stack.
#define UNROLL _Pragma("unroll")

// ---- staging -------------------------------------------------------------------------------------------

__kernel void stage_input(__global const float* x_g, __global float* xs_g, const int planes, const int H,
                          const int W, const int SH, const int SW, const int PH, const int PW, const int phasesH,
                          const int phasesW, const int cols, const int plane, const int xPlane) {
    const int r = get_global_id(0);
    const int phase = get_global_id(1);
    const int p = get_global_id(2);
    if (r * cols >= plane || phase >= phasesH * phasesW || p >= planes) {
        return;
    }
    const int h = r * SH + phase / phasesW - PH;
    const int w0 = phase % phasesW - PW; // column j reads w0 + j*SW
    const int end = min(cols, plane - r * cols);
    __global float* row_p = xs_g + ((size_t)p * phasesH * phasesW + phase) * plane + r * cols;
    if (h < 0 || h >= H) {
        for (int j = 0; j < end; j++) {
            row_p[j] = 0.0f;
        }
        return;
    }
    __global const float* x_row = x_g + (size_t)p * xPlane + h * W; // x's planes start xPlane floats apart
    for (int j = 0; j < end; j++) {
        const int w = w0 + j * SW;
        row_p[j] = w >= 0 && w < W ? x_row[w] : 0.0f;
    }
}

__kernel void transpose(__global const float* in_g, __global float* out_g, const int R, const int S,
                        const int RP) {
    const int s = get_global_id(0);
    if (s >= S) {
        return;
    }
    __global float* out_row = out_g + (size_t)s * RP;
    for (int r = 0; r < RP; r++) {
        out_row[r] = r < R ? in_g[(size_t)r * S + s] : 0.0f;
    }
}

// out (C,O,KH*KW) = w (O,C,KH*KW) with channels swapped and each kernel reversed (both spatial axes): the weight
// of the transposed convolution, so that a stride-1 conv's input gradient runs on conv2d. Work item: one output
// channel o of w, all its C*KH*KW weights (a work item per weight cost more in PoCL's per-item overhead than the
// copy itself).
__kernel void flip_transpose(__global const float* w_g, __global float* out_g, const int O, const int C,
                             const int taps) {
    const int o = get_global_id(0);
    if (o >= O) {
        return;
    }
    __global const float* w_p = w_g + (size_t)o * C * taps;
    for (int c = 0; c < C; c++) {
        __global float* out_p = out_g + ((size_t)c * O + o) * taps;
        for (int t = 0; t < taps; t++) {
            out_p[taps - 1 - t] = w_p[c * taps + t];
        }
    }
}

// ---- convolution ---------------------------------------------------------------------------------------

// Asks for the TILE_PX floats at `at` of each of the tile's operand and addend planes, which the store reads only
// after the whole reduction: there TILE_OC misses in as many planes (too many streams for the hardware prefetchers)
// stalled every work item (1x1 64 -> 256 at 81x81, batch 3, on PoCL: r / conv 5.6 -> 4.5 ms, conv alone 4.2 ms).
inline void prefetch_store_operands(__global const float* r_g, __global const float* a_g, int epilogue,
                                    size_t firstPlane, int o0, int channelStep, int O, int operandPlane,
                                    int addendPlane, int at) {
    if (epilogue & (EPILOGUE_RESIDUAL | EPILOGUE_DIVIDE | EPILOGUE_MULTIPLY)) {
        UNROLL for (int i = 0; i < TILE_OC; i++) {
            __global const float* r_p = r_g + (firstPlane + min(o0 + i * channelStep, O - 1)) * operandPlane + at;
            PREFETCH(r_p);
            PREFETCH(r_p + TILE_PX - 1); // the next line where the vector straddles two
        }
    }
    if (epilogue & EPILOGUE_ADDEND) {
        UNROLL for (int i = 0; i < TILE_OC; i++) {
            __global const float* a_p = a_g + (firstPlane + min(o0 + i * channelStep, O - 1)) * addendPlane + at;
            PREFETCH(a_p);
            PREFETCH(a_p + TILE_PX - 1);
        }
    }
}

__kernel void conv2d(__global const float* xs_g, __global const float* w_g, __global const float* b_g,
                     __global const int* taps_g, __global const float* r_g, __global float* y_g, const int C,
                     const int O, const int taps, const int channelStride, const int cols, const int OH,
                     const int OW, const int epilogue, const int weightStride, const int channelStep,
                     const int outPlane, const int operandPlane, __global const float* a_g,
                     const int addendPlane, __global float* k_g, const int keptPlane) {
    // the tile's channels o0 + i*channelStep: consecutive (channelStep 1), or, for aligned stores, channels whose
    // planes start at the same offset from a TILE_PX-float boundary (channelStep > 1, tiles in blocks of
    // channelStep*TILE_OC channels)
    const int tile = get_global_id(0);
    const int o0 = tile / channelStep * channelStep * TILE_OC + tile % channelStep;
    const int n = get_global_id(2);
    const int pixels = OH * cols; // the flat grid, COLS - OW dropped columns per row
    // with channelStep > 1 (only where cols == OW) pixel tiles begin that offset early, so that every store of
    // TILE_PX floats but a plane's first and last is aligned: misaligned stores split across cache lines and
    // made short reductions (1x1, 64 channels, 81x81 planes) a third slower
    const int shift = channelStep > 1 ? (int)((((size_t)n * O + o0) * outPlane) % TILE_PX) : 0;
    const int q0Unclamped = get_global_id(1) * TILE_PX - shift;
    if (o0 >= O || q0Unclamped >= pixels) {
        return;
    }
    const int q0 = max(0, min(q0Unclamped, pixels - TILE_PX));
    const int filter = C * taps;
    __global const float* w_p[TILE_OC];
    UNROLL for (int i = 0; i < TILE_OC; i++) {
        w_p[i] = w_g + (size_t)n * weightStride + (size_t)min(o0 + i * channelStep, O - 1) * filter;
    }
    pixelV acc_p[TILE_OC];
    UNROLL for (int i = 0; i < TILE_OC; i++) {
        acc_p[i] = (pixelV)(0.0f);
    }
    prefetch_store_operands(r_g, a_g, epilogue, (size_t)n * O, o0, channelStep, O, operandPlane, addendPlane,
                            q0 / cols * OW + q0 % cols);
    __global const float* x_p = xs_g + (size_t)n * C * channelStride + q0;
#if POINTWISE
    // 1x1 convolutions: one tap at offset 0, so the channel loop is the whole reduction; unrolled, it keeps
    // several loads in flight instead of paying the tap loop's overhead for every TILE_OC FMAs
    _Pragma("unroll 4") for (int c = 0; c < C; c++) {
        const pixelV xv = vloadPx(0, x_p + (size_t)c * channelStride);
        UNROLL for (int i = 0; i < TILE_OC; i++) {
            acc_p[i] = fma((pixelV)(w_p[i][c]), xv, acc_p[i]);
        }
    }
#else
    int k = 0;
    for (int c = 0; c < C; c++) {
        for (int t = 0; t < taps; t++, k++) {
            const pixelV xv = vloadPx(0, x_p + taps_g[t]);
            UNROLL for (int i = 0; i < TILE_OC; i++) {
                acc_p[i] = fma((pixelV)(w_p[i][k]), xv, acc_p[i]);
            }
        }
        x_p += channelStride;
    }
#endif
    // where lane t goes in an output plane, or -1 for a dropped column or a lane past the grid
    const int oy0 = q0 / cols;
    const int ox0 = q0 - oy0 * cols;
    const bool contiguous = q0 + TILE_PX <= pixels && (cols == OW || ox0 + TILE_PX <= OW);
    int dst_p[TILE_PX];
    UNROLL for (int t = 0; t < TILE_PX; t++) {
        const int oy = (q0 + t) / cols;
        const int ox = q0 + t - oy * cols;
        dst_p[t] = ox < OW && q0 + t < pixels ? oy * OW + ox : -1;
    }
    UNROLL for (int i = 0; i < TILE_OC; i++) {
        const int o = o0 + i * channelStep;
        if (o < O) {
            pixelV v = (epilogue & EPILOGUE_BIAS) ? acc_p[i] + (pixelV)(b_g[o]) : acc_p[i];
            __global float* y_plane = y_g + ((size_t)n * O + o) * outPlane;
            __global const float* r_plane = r_g + ((size_t)n * O + o) * operandPlane;
            __global const float* a_plane = a_g + ((size_t)n * O + o) * addendPlane;
            __global float* k_plane = k_g + ((size_t)n * O + o) * keptPlane;
            if (contiguous) {
                if (epilogue & EPILOGUE_KEEP) {
                    vstorePx(v, 0, k_plane + oy0 * OW + ox0);
                }
                if (epilogue & EPILOGUE_RESIDUAL) {
                    v += vloadPx(0, r_plane + oy0 * OW + ox0);
                }
                if (epilogue & EPILOGUE_RELU) {
                    v = fmax(v, (pixelV)(0.0f));
                }
                if (epilogue & EPILOGUE_DIVIDE) {
                    v = vloadPx(0, r_plane + oy0 * OW + ox0) / v;
                }
                if (epilogue & EPILOGUE_MULTIPLY) {
                    v = vloadPx(0, r_plane + oy0 * OW + ox0) * v;
                }
                if (epilogue & EPILOGUE_ADDEND) {
                    v += vloadPx(0, a_plane + oy0 * OW + ox0);
                }
                vstorePx(v, 0, y_plane + oy0 * OW + ox0);
            } else {
                float lanes_p[TILE_PX];
                vstorePx(v, 0, lanes_p);
                UNROLL for (int t = 0; t < TILE_PX; t++) {
                    if (dst_p[t] >= 0) {
                        if (epilogue & EPILOGUE_KEEP) {
                            k_plane[dst_p[t]] = lanes_p[t];
                        }
                        y_plane[dst_p[t]] = epilogue_tail(lanes_p[t], epilogue, r_plane + dst_p[t],
                                                          a_plane + dst_p[t]);
                    }
                }
            }
        }
    }
}

// ---- linear --------------------------------------------------------------------------------------------

__kernel void linear(__global const float* x_g, __global const float* w_g, __global const float* b_g,
                     __global float* y_g, const int N, const int M, const int K, const int hasBias) {
    const int n0 = get_global_id(0) * LINEAR_TILE_N;
    const int m0 = get_global_id(1) * LINEAR_TILE_M;
    if (n0 >= N || m0 >= M) {
        return;
    }
    __global const float* w_p[LINEAR_TILE_M];
    UNROLL for (int i = 0; i < LINEAR_TILE_M; i++) {
        w_p[i] = w_g + (size_t)min(m0 + i, M - 1) * K;
    }
    __global const float* x_p[LINEAR_TILE_N];
    UNROLL for (int j = 0; j < LINEAR_TILE_N; j++) {
        x_p[j] = x_g + (size_t)min(n0 + j, N - 1) * K;
    }
    linearV acc_p[LINEAR_TILE_M][LINEAR_TILE_N];
    UNROLL for (int i = 0; i < LINEAR_TILE_M; i++) {
        UNROLL for (int j = 0; j < LINEAR_TILE_N; j++) {
            acc_p[i][j] = (linearV)(0.0f);
        }
    }
    const int kVectors = K / LINEAR_VECTOR;
    for (int kv = 0; kv < kVectors; kv++) {
        linearV xv_p[LINEAR_TILE_N];
        UNROLL for (int j = 0; j < LINEAR_TILE_N; j++) {
            xv_p[j] = vloadK(kv, x_p[j]);
        }
        UNROLL for (int i = 0; i < LINEAR_TILE_M; i++) {
            const linearV wv = vloadK(kv, w_p[i]);
            UNROLL for (int j = 0; j < LINEAR_TILE_N; j++) {
                acc_p[i][j] = fma(wv, xv_p[j], acc_p[i][j]);
            }
        }
    }
    UNROLL for (int i = 0; i < LINEAR_TILE_M; i++) {
        UNROLL for (int j = 0; j < LINEAR_TILE_N; j++) {
            if (m0 + i < M && n0 + j < N) {
                float lanes_p[LINEAR_VECTOR];
                vstoreK(acc_p[i][j], 0, lanes_p);
                float sum = 0.0f;
                for (int t = 0; t < LINEAR_VECTOR; t++) {
                    sum += lanes_p[t];
                }
                for (int k = kVectors * LINEAR_VECTOR; k < K; k++) {
                    sum = fma(w_p[i][k], x_p[j][k], sum);
                }
                y_g[(size_t)(n0 + j) * M + m0 + i] = hasBias ? sum + b_g[m0 + i] : sum;
            }
        }
    }
}
