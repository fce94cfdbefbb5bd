// conv.cl -- 2-D convolution (F.conv2d, groups = 1) as a register-blocked implicit GEMM without local memory.
//
// Kernels
//   pack_conv_weights  weight (O,C,KH,KW) -> packed (ceil(O/TILE_OC), C*KH*KW, TILE_OC): for each block of
//                      TILE_OC output channels and each tap k = (c*KH + ky)*KW + kx, the block's TILE_OC weights
//                      are contiguous (one vector load). Channels past O are zero.
//   pad_conv_input     input (N,C,H,W) -> (N,C,HP,WP): the input shifted by (pad_h, pad_w) into a zero frame, so
//                      that conv2d_tiled reads every tap without a bounds check.
//   conv2d_tiled       output (N,O,HO,WO). One work item computes TILE_OC output channels x TILE_PX consecutive
//                      output pixels of one row: TILE_PX accumulator vectors of TILE_OC floats stay in registers;
//                      per tap it loads one weight vector and broadcasts TILE_PX input values into fused
//                      multiply-adds. On PoCL (CPU) this reaches 80-95 GFLOP/s on ResNet-50's 3x3 layers
//                      (ConvBenchmark); local-memory tiling, whose barriers split each work-group, measured ~20x
//                      slower on the same device.
//                      Global size: (HO * ceil(WO/TILE_PX), ceil(O/TILE_OC), N).
//   conv2d_rows        the same for STRIDE_W == 1 (fast path), vectorised along the row instead: one work item
//                      computes TILE_OC output channels x ROW_PX consecutive pixels as TILE_OC vectors of ROW_PX
//                      floats; per tap one unaligned vector load of the input row and TILE_OC broadcast weights,
//                      and whole-vector stores (conv2d_tiled scatters its channel vectors when storing, which
//                      dominates when C*KH*KW is small: 1x1 64->256 at 56x56 went from ~43 to ~80 GFLOP/s).
//                      Global size: (HO * ceil(WO/ROW_PX), ceil(O/TILE_OC), N).
//
// Layout: NCHW, element (n,c,h,w) at ((n*C + c)*H + h)*W + w. Packed weight of output channel o and tap k at
// ((o/TILE_OC)*K + k)*TILE_OC + o%TILE_OC with K = C*KH*KW.
//
// Preconditions of conv2d_tiled, ensured by the launcher (ClConv): the (padded) input it reads holds every tap of
// every pixel of every tile, including the pixels past WO in a row's last tile (computed, never stored):
//   HP >= (HO-1)*STRIDE_H + (KH-1)*DIL_H + 1   and   WP >= (ceil(WO/TILE_PX)*TILE_PX - 1)*STRIDE_W + (KW-1)*DIL_W + 1
// (conv2d_rows: ROW_PX in place of TILE_PX).
// A 1x1 stride-1 convolution without padding is run as one image row of H*W pixels (HO = 1, WO = H*W), a plain
// GEMM that needs no padded copy when the work item's pixel count divides H*W.

#ifndef TILE_OC
#define TILE_OC 16 // output channels per work item = accumulator vector width (4, 8, 16)
#endif
#ifndef TILE_PX
#define TILE_PX 8 // consecutive output pixels of one row per work item (1..16)
#endif
#ifndef ROW_PX
#define ROW_PX 16 // conv2d_rows: consecutive output pixels per work item = row vector width (4, 8, 16)
#endif
#ifndef KH
#define KH 3 // kernel height (>= 1); compile-time so that the tap loops unroll
#endif
#ifndef KW
#define KW 3 // kernel width (>= 1)
#endif
#ifndef STRIDE_H
#define STRIDE_H 1 // vertical stride (>= 1)
#endif
#ifndef STRIDE_W
#define STRIDE_W 1 // horizontal stride (>= 1)
#endif
#ifndef DIL_H
#define DIL_H 1 // vertical dilation (>= 1)
#endif
#ifndef DIL_W
#define DIL_W 1 // horizontal dilation (>= 1)
#endif

// Derived: the accumulator vector type and its load, e.g. float16 / vload16.
#define CONCAT_(a, b) a##b
#define CONCAT(a, b) CONCAT_(a, b)
#define realv CONCAT(float, TILE_OC)
#define vload_realv CONCAT(vload, TILE_OC)
#define realpx CONCAT(float, ROW_PX)
#define vload_realpx CONCAT(vload, ROW_PX)
#define vstore_realpx CONCAT(vstore, ROW_PX)

__kernel void pack_conv_weights(__global const float* restrict weight_g, __global float* restrict packed_g,
                                const int O, const int K, const int blocks) {
    const int k = get_global_id(0);
    const int block = get_global_id(1);
    GUARD(k, K);
    GUARD(block, blocks);
    __global float* dst = packed_g + ((size_t)block * K + k) * TILE_OC;
    for (int j = 0; j < TILE_OC; j++) {
        const int o = block * TILE_OC + j;
        dst[j] = o < O ? weight_g[(size_t)o * K + k] : 0.0f;
    }
}

__kernel void pad_conv_input(__global const float* restrict in_g, __global float* restrict padded_g,
                             const int H, const int W, const int HP, const int WP, const int pad_h, const int pad_w,
                             const int planes) {
    const int x = get_global_id(0);
    const int y = get_global_id(1);
    const int plane = get_global_id(2);
    GUARD(x, WP);
    GUARD(y, HP);
    GUARD(plane, planes);
    const int iy = y - pad_h;
    const int ix = x - pad_w;
    const bool inside = iy >= 0 && iy < H && ix >= 0 && ix < W;
    padded_g[((size_t)plane * HP + y) * WP + x] = inside ? in_g[((size_t)plane * H + iy) * W + ix] : 0.0f;
}

__kernel void conv2d_tiled(__global const float* restrict in_g, __global const float* restrict packed_g,
                           __global const float* restrict bias_g, __global float* restrict out_g,
                           const int C, const int HP, const int WP, const int O, const int HO, const int WO,
                           const int tiles_w, const int has_bias) {
    const int tile = get_global_id(0);
    const int block = get_global_id(1);
    const int n = get_global_id(2);
    GUARD(tile, HO * tiles_w);
    const int oy = tile / tiles_w;
    const int ox0 = (tile - oy * tiles_w) * TILE_PX;
    const int o0 = block * TILE_OC;

    float bias_p[TILE_OC];
    for (int j = 0; j < TILE_OC; j++) {
        bias_p[j] = has_bias && o0 + j < O ? bias_g[o0 + j] : 0.0f;
    }
    realv acc_p[TILE_PX];
    const realv bias_v = vload_realv(0, bias_p);
    #pragma unroll
    for (int t = 0; t < TILE_PX; t++) {
        acc_p[t] = bias_v;
    }

    __global const float* in_row = in_g + ((size_t)n * C * HP + oy * STRIDE_H) * WP + ox0 * STRIDE_W;
    __global const float* w_tap = packed_g + (size_t)block * C * KH * KW * TILE_OC;
    for (int c = 0; c < C; c++) {
        #pragma unroll
        for (int ky = 0; ky < KH; ky++) {
            #pragma unroll
            for (int kx = 0; kx < KW; kx++) {
                const realv w = vload_realv(0, w_tap);
                w_tap += TILE_OC;
                __global const float* tap = in_row + ky * DIL_H * WP + kx * DIL_W;
                #pragma unroll
                for (int t = 0; t < TILE_PX; t++) {
                    acc_p[t] = fma((realv)(tap[t * STRIDE_W]), w, acc_p[t]);
                }
            }
        }
        in_row += (size_t)HP * WP;
    }

    const int valid_px = min(TILE_PX, WO - ox0);
    const int valid_oc = min(TILE_OC, O - o0);
    const size_t plane = (size_t)HO * WO;
    __global float* out_p = out_g + ((size_t)n * O + o0) * plane + (size_t)oy * WO + ox0;
    #pragma unroll
    for (int t = 0; t < TILE_PX; t++) {
        if (t < valid_px) {
            const float* lanes = (const float*)&acc_p[t];
            for (int j = 0; j < valid_oc; j++) {
                out_p[j * plane + t] = lanes[j];
            }
        }
    }
}

__kernel void conv2d_rows(__global const float* restrict in_g, __global const float* restrict packed_g,
                          __global const float* restrict bias_g, __global float* restrict out_g,
                          const int C, const int HP, const int WP, const int O, const int HO, const int WO,
                          const int tiles_w, const int has_bias) {
    const int tile = get_global_id(0);
    const int block = get_global_id(1);
    const int n = get_global_id(2);
    GUARD(tile, HO * tiles_w);
    const int oy = tile / tiles_w;
    const int ox0 = (tile - oy * tiles_w) * ROW_PX;
    const int o0 = block * TILE_OC;

    realpx acc_p[TILE_OC];
    #pragma unroll
    for (int j = 0; j < TILE_OC; j++) {
        acc_p[j] = (realpx)(has_bias && o0 + j < O ? bias_g[o0 + j] : 0.0f);
    }

    __global const float* in_row = in_g + ((size_t)n * C * HP + oy * STRIDE_H) * WP + ox0;
    __global const float* w_tap = packed_g + (size_t)block * C * KH * KW * TILE_OC;
    for (int c = 0; c < C; c++) {
        #pragma unroll
        for (int ky = 0; ky < KH; ky++) {
            #pragma unroll
            for (int kx = 0; kx < KW; kx++) {
                const realpx v = vload_realpx(0, in_row + ky * DIL_H * WP + kx * DIL_W);
                #pragma unroll
                for (int j = 0; j < TILE_OC; j++) {
                    acc_p[j] = fma((realpx)(w_tap[j]), v, acc_p[j]);
                }
                w_tap += TILE_OC;
            }
        }
        in_row += (size_t)HP * WP;
    }

    const int valid_px = min(ROW_PX, WO - ox0);
    const int valid_oc = min(TILE_OC, O - o0);
    const size_t plane = (size_t)HO * WO;
    __global float* out_p = out_g + ((size_t)n * O + o0) * plane + (size_t)oy * WO + ox0;
    #pragma unroll
    for (int j = 0; j < TILE_OC; j++) {
        if (j < valid_oc) {
            if (valid_px == ROW_PX) {
                vstore_realpx(acc_p[j], 0, out_p + j * plane);
            } else {
                const float* lanes = (const float*)&acc_p[j];
                for (int t = 0; t < valid_px; t++) {
                    out_p[j * plane + t] = lanes[t];
                }
            }
        }
    }
}
