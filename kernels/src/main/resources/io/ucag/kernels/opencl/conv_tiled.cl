// conv_tiled.cl -- conv2d as an implicit GEMM tiled in local memory: the GPU path (ClTiledConv). CPUs take
// conv.cl's register-blocked kernel instead: local memory tiling measured about 20x slower on PoCL's CPU device.
//
// conv2d_tiled  y (N,O,OH,OW) = W (O, K) * X (K, P) with K = C*KH*KW and P = N*OH*OW: W is the weight (O,C,KH,KW)
//               as it lies, X's row k = (c*KH + ky)*KW + kx and column p = (n*OH + oy)*OW + ox hold
//               x[n, c, oy*SH - PH + ky*DH, ox*SW - PW + kx*DW] (zero outside the image), gathered from x in place:
//               no staged copy. Summed in k order, then the store's epilogue (common.cl's EPILOGUE_* bits, as
//               conv.cl's conv2d: + bias, then epilogue_tail with the operand r and addend a).
//
// Tile parameters (build options; ClTiledConv.Tiles passes its own, measured on an H100):
//   TILE_M   output channels per work group
//   TILE_N   output pixels per work group
//   TILE_K   values of k staged in local memory per step
//   WPT_M    output channels per work item  } a work group is (TILE_N / WPT_N) x (TILE_M / WPT_M) items
//   WPT_N    output pixels per work item    }
// Item (tn, tm) = (local id 0, local id 1) accumulates channels m0 + tm + i*ITEMS_M and pixels p0 + tn + j*ITEMS_N
// in registers: strided, so that the items of a warp read consecutive X values and one broadcast W value from
// local memory. Staging, items in linear order lid: W's slice by k fastest (consecutive items read consecutive k
// of one filter: one stream per filter), X's slice by pixel fastest (consecutive items read neighbouring pixels).
// w_l has one float of padding per row so that the k-fastest stores fall in distinct banks.
// Global size (ceil(P / TILE_N) * ITEMS_N, ceil(O / TILE_M) * ITEMS_M), local size (ITEMS_N, ITEMS_M).
//
// Layout: x's planes inPlane floats apart (OH*OW or padded: ClBuffer.padded), y's outPlane, the operand's
// operandPlane and the addend's addendPlane apart; a plane row-major.

#ifndef TILE_M
#define TILE_M 64
#endif
#ifndef TILE_N
#define TILE_N 64
#endif
#ifndef TILE_K
#define TILE_K 32
#endif
#ifndef WPT_M
#define WPT_M 4
#endif
#ifndef WPT_N
#define WPT_N 4
#endif

#define ITEMS_M (TILE_M / WPT_M)
#define ITEMS_N (TILE_N / WPT_N)
#define ITEMS (ITEMS_M * ITEMS_N)
#define W_ROWS_PER_PASS (ITEMS / TILE_K) // filters one pass of the group stages (TILE_K values each)
#define X_ROWS_PER_PASS (ITEMS / TILE_N) // rows of k one pass of the group stages (TILE_N pixels each)

#define UNROLL _Pragma("unroll")

__kernel __attribute__((reqd_work_group_size(ITEMS_N, ITEMS_M, 1)))
void conv2d_tiled(__global const float* x_g, __global const float* w_g, __global const float* b_g,
                  __global const float* r_g, __global const float* a_g, __global float* y_g,
                  const int N, const int C, const int H, const int W, const int O, const int OH, const int OW,
                  const int KH, const int KW, const int SH, const int SW, const int PH, const int PW,
                  const int DH, const int DW, const int inPlane, const int outPlane, const int operandPlane,
                  const int addendPlane, const int epilogue) {
    __local float w_l[TILE_K][TILE_M + 1];
    __local float x_l[TILE_K][TILE_N];
    const int tn = get_local_id(0);
    const int tm = get_local_id(1);
    const int lid = tm * ITEMS_N + tn;
    const int p0 = get_group_id(0) * TILE_N;
    const int m0 = get_group_id(1) * TILE_M;
    const int taps = KH * KW;
    const int K = C * taps;
    const int plane = OH * OW;
    const int P = N * plane;

    // the pixel whose X column this item stages, and where its window starts
    const int xCol = lid % TILE_N;
    const int xRow = lid / TILE_N;
    const int p = p0 + xCol;
    const bool pixelInside = p < P;
    const int xn = pixelInside ? p / plane : 0;
    const int xq = p - xn * plane;
    const int iy0 = xq / OW * SH - PH;
    const int ix0 = xq % OW * SW - PW;
    __global const float* xImage = x_g + (size_t)xn * C * inPlane;
    // the k this item stages of W's slice
    const int wK = lid % TILE_K;
    const int wRow = lid / TILE_K;

    float acc[WPT_M][WPT_N];
    UNROLL for (int i = 0; i < WPT_M; i++) {
        UNROLL for (int j = 0; j < WPT_N; j++) {
            acc[i][j] = 0.0f;
        }
    }
    for (int k0 = 0; k0 < K; k0 += TILE_K) {
        UNROLL for (int r = 0; r < TILE_M / W_ROWS_PER_PASS; r++) {
            const int row = wRow + r * W_ROWS_PER_PASS;
            const int m = m0 + row;
            const int k = k0 + wK;
            w_l[wK][row] = m < O && k < K ? w_g[(size_t)m * K + k] : 0.0f;
        }
        UNROLL for (int r = 0; r < TILE_K / X_ROWS_PER_PASS; r++) {
            const int kl = xRow + r * X_ROWS_PER_PASS;
            const int k = k0 + kl;
            float v = 0.0f;
            if (pixelInside && k < K) {
                const int c = k / taps;
                const int t = k - c * taps;
                const int ky = t / KW;
                const int iy = iy0 + ky * DH;
                const int ix = ix0 + (t - ky * KW) * DW;
                if (iy >= 0 && iy < H && ix >= 0 && ix < W) {
                    v = xImage[(size_t)c * inPlane + iy * W + ix];
                }
            }
            x_l[kl][xCol] = v;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        UNROLL for (int kk = 0; kk < TILE_K; kk++) {
            float a[WPT_M];
            float b[WPT_N];
            UNROLL for (int i = 0; i < WPT_M; i++) {
                a[i] = w_l[kk][tm + i * ITEMS_M];
            }
            UNROLL for (int j = 0; j < WPT_N; j++) {
                b[j] = x_l[kk][tn + j * ITEMS_N];
            }
            UNROLL for (int i = 0; i < WPT_M; i++) {
                UNROLL for (int j = 0; j < WPT_N; j++) {
                    acc[i][j] = fma(a[i], b[j], acc[i][j]);
                }
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }

    UNROLL for (int j = 0; j < WPT_N; j++) {
        const int q = p0 + tn + j * ITEMS_N;
        if (q >= P) {
            continue;
        }
        const int n = q / plane;
        const int within = q - n * plane;
        UNROLL for (int i = 0; i < WPT_M; i++) {
            const int m = m0 + tm + i * ITEMS_M;
            if (m < O) {
                const size_t planeIndex = (size_t)n * O + m;
                const float v = (epilogue & EPILOGUE_BIAS) ? acc[i][j] + b_g[m] : acc[i][j];
                y_g[planeIndex * outPlane + within] = epilogue_tail(v, epilogue,
                        r_g + planeIndex * operandPlane + within, a_g + planeIndex * addendPlane + within);
            }
        }
    }
}
