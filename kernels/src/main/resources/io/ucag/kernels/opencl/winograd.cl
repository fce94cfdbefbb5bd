// winograd.cl -- 3x3 stride-1 convolution (groups = 1, no dilation) by Winograd's minimal filtering F(m x m, 3x3)
// (Lavin & Gray, CVPR 2016) for output tiles of m = TILE_OUT = 4 or 6, with PyTorch's conv2d semantics
// (cross-correlation, zero padding).
//
// Each m x m output tile comes from an n x n input tile d (n = TILE_IN = m + 2) as Y = A^T [sum over c of U_c (.)
// V_c] A, with U = G g G^T (the 3x3 filter g, transformed) and V = B^T d B (the input tile, transformed), (.)
// element-wise. For each of the n*n points xi of the transformed tile, the sum over input channels is a GEMM
//   M_xi (O x T) = U_xi (O x C) * V_xi (C x T)      over the T tiles of the batch,
// which conv.cl's conv2d runs as a 1x1 convolution (n*n "images", one weight matrix each): per output pixel, channel
// and filter 36/16 = 2.25 multiply-adds for F(4x4) and 64/36 = 1.78 for F(6x6), instead of the direct
// convolution's 9. The transforms are memory-bound passes:
//   winograd_filter  U (n*n, O, C) from w (O, C, 3, 3). Work item: one weight (c, o). Global size (C, O).
//   winograd_input   V (n*n, C, T) from images n0 .. n0+NB-1 of x (N, C, H, W), zero outside x: tile
//                    t = (i*TH + ty)*TW + tx reads rows m*ty - PH .. m*ty - PH + n - 1 and the columns likewise
//                    of image n0 + i. Work item: one tile of one channel. Global size (T, C).
//   winograd_output  y (N, O, OH, OW) for images n0 .. n0+NB-1 from M (n*n, O, T): the tile A^T M A, then conv.cl's
//                    epilogue (+ b[o], + r at y's index, ReLU, r / ., r * .; bits of `epilogue` as there), stored
//                    where it lies inside OH x OW. Work item: one tile of one output channel. Global size (T, O).
// TH = ceil(OH / m), TW = ceil(OW / m). Layouts: NCHW as in conv.cl, except that x's planes start xPlane floats
// apart and y's and the operand's yPlane and rPlane (H*W, or more where planes are padded: ClBuffer.padded); U, V,
// M row-major as written.
//
// Interpolation points: F(4x4) 0, 1, -1, 2, -2 and infinity; F(6x6) adds 1/2 and -1/2 (the usual choice, whose
// transforms stay within factors 1/90 .. 32). Accuracy: the transforms' factors make the rounding error about ten
// times the direct convolution's for F(4x4), and 1.4-1.8 times F(4x4)'s for F(6x6) (measured against float64 on
// 64-512 channels); WinogradTest bounds both against a float64 reference.

#ifndef TILE_OUT
#define TILE_OUT 4 // m: output tile side, 4 or 6
#endif
#define TILE_IN (TILE_OUT + 2) // n: input tile side
#define TILE_POINTS (TILE_IN * TILE_IN)

// Loops over the small tiles are unrolled so that their arrays live in registers, not on the stack.
#define UNROLL _Pragma("unroll")

// EPILOGUE_* bits and epilogue_tail: common.cl (never EPILOGUE_ADDEND here: ClConv adds the addend after)

// The three 1-D transforms, each applied to the columns of a tile and then to the rows of the result:
// FILTER_LINE out (n) = G in (3), the filter's; INPUT_LINE out (n) = B^T in (n), the input's; OUTPUT_LINE out (m) =
// A^T in (n), the output's.
#if TILE_OUT == 4
#define FILTER_LINE(in, out)                                                                                   \
    do {                                                                                                       \
        out[0] = 0.25f * in[0];                                                                                \
        out[1] = -(in[0] + in[1] + in[2]) / 6.0f;                                                              \
        out[2] = -(in[0] - in[1] + in[2]) / 6.0f;                                                              \
        out[3] = in[0] / 24.0f + in[1] / 12.0f + in[2] / 6.0f;                                                 \
        out[4] = in[0] / 24.0f - in[1] / 12.0f + in[2] / 6.0f;                                                 \
        out[5] = in[2];                                                                                        \
    } while (0)
#define INPUT_LINE(in, out)                                                                                    \
    do {                                                                                                       \
        out[0] = 4.0f * in[0] - 5.0f * in[2] + in[4];                                                          \
        out[1] = -4.0f * (in[1] + in[2]) + in[3] + in[4];                                                      \
        out[2] = 4.0f * (in[1] - in[2]) - in[3] + in[4];                                                       \
        out[3] = 2.0f * (in[3] - in[1]) - in[2] + in[4];                                                       \
        out[4] = 2.0f * (in[1] - in[3]) - in[2] + in[4];                                                       \
        out[5] = 4.0f * in[1] - 5.0f * in[3] + in[5];                                                          \
    } while (0)
#define OUTPUT_LINE(in, out)                                                                                   \
    do {                                                                                                       \
        out[0] = in[0] + in[1] + in[2] + in[3] + in[4];                                                        \
        out[1] = in[1] - in[2] + 2.0f * (in[3] - in[4]);                                                       \
        out[2] = in[1] + in[2] + 4.0f * (in[3] + in[4]);                                                       \
        out[3] = in[1] - in[2] + 8.0f * (in[3] - in[4]) + in[5];                                               \
    } while (0)
#elif TILE_OUT == 6
// points 0, 1, -1, 2, -2, 1/2, -1/2, infinity: rows of B^T pair up as q + p and q - p
#define FILTER_LINE(in, out)                                                                                   \
    do {                                                                                                       \
        out[0] = in[0];                                                                                        \
        out[1] = -2.0f / 9.0f * (in[0] + in[1] + in[2]);                                                       \
        out[2] = -2.0f / 9.0f * (in[0] - in[1] + in[2]);                                                       \
        out[3] = in[0] / 90.0f + in[1] / 45.0f + 2.0f * in[2] / 45.0f;                                         \
        out[4] = in[0] / 90.0f - in[1] / 45.0f + 2.0f * in[2] / 45.0f;                                         \
        out[5] = 32.0f / 45.0f * in[0] + 16.0f / 45.0f * in[1] + 8.0f / 45.0f * in[2];                         \
        out[6] = 32.0f / 45.0f * in[0] - 16.0f / 45.0f * in[1] + 8.0f / 45.0f * in[2];                         \
        out[7] = in[2];                                                                                        \
    } while (0)
#define INPUT_LINE(in, out)                                                                                    \
    do {                                                                                                       \
        out[0] = in[0] - in[6] + 5.25f * (in[4] - in[2]);                                                      \
        const float p1 = in[1] + in[5] - 4.25f * in[3];                                                        \
        const float q1 = in[2] + in[6] - 4.25f * in[4];                                                        \
        out[1] = q1 + p1;                                                                                      \
        out[2] = q1 - p1;                                                                                      \
        const float p2 = 0.5f * in[1] - 2.5f * in[3] + 2.0f * in[5];                                           \
        const float q2 = 0.25f * in[2] - 1.25f * in[4] + in[6];                                                \
        out[3] = q2 + p2;                                                                                      \
        out[4] = q2 - p2;                                                                                      \
        const float p3 = 2.0f * in[1] - 2.5f * in[3] + 0.5f * in[5];                                           \
        const float q3 = 4.0f * in[2] - 5.0f * in[4] + in[6];                                                  \
        out[5] = q3 + p3;                                                                                      \
        out[6] = q3 - p3;                                                                                      \
        out[7] = in[7] - in[1] + 5.25f * (in[3] - in[5]);                                                      \
    } while (0)
#define OUTPUT_LINE(in, out)                                                                                   \
    do {                                                                                                       \
        const float a1 = in[1] + in[2], b1 = in[1] - in[2];                                                    \
        const float a2 = in[3] + in[4], b2 = in[3] - in[4];                                                    \
        const float a3 = in[5] + in[6], b3 = in[5] - in[6];                                                    \
        out[0] = in[0] + a1 + a2 + a3;                                                                         \
        out[1] = b1 + 2.0f * b2 + 0.5f * b3;                                                                   \
        out[2] = a1 + 4.0f * a2 + 0.25f * a3;                                                                  \
        out[3] = b1 + 8.0f * b2 + 0.125f * b3;                                                                 \
        out[4] = a1 + 16.0f * a2 + 0.0625f * a3;                                                               \
        out[5] = b1 + 32.0f * b2 + 0.03125f * b3 + in[7];                                                      \
    } while (0)
#else
#error "TILE_OUT must be 4 or 6"
#endif

__kernel void winograd_filter(__global const float* w_g, __global float* u_g, const int O, const int C) {
    const int c = get_global_id(0);
    const int o = get_global_id(1);
    if (c >= C || o >= O) {
        return;
    }
    const size_t point = (size_t)O * C; // floats between transformed points xi and xi + 1
    __global const float* g = w_g + ((size_t)o * C + c) * 9;
    float t[3][TILE_IN]; // (G g)^T: column j of g, transformed, is row j
    UNROLL for (int j = 0; j < 3; j++) {
        const float column[3] = {g[j], g[3 + j], g[6 + j]};
        FILTER_LINE(column, t[j]);
    }
    __global float* u = u_g + (size_t)o * C + c;
    UNROLL for (int i = 0; i < TILE_IN; i++) { // row i of (G g) G^T
        const float row[3] = {t[0][i], t[1][i], t[2][i]};
        float out[TILE_IN];
        FILTER_LINE(row, out);
        UNROLL for (int j = 0; j < TILE_IN; j++) {
            u[(i * TILE_IN + j) * point] = out[j];
        }
    }
}

__kernel void winograd_input(__global const float* x_g, __global float* v_g, const int C, const int H,
                             const int W, const int PH, const int PW, const int TH, const int TW, const int n0,
                             const int NB, const int xPlane) {
    const int tile = get_global_id(0);
    const int c = get_global_id(1);
    const int tiles = NB * TH * TW;
    if (tile >= tiles || c >= C) {
        return;
    }
    const int n = tile / (TH * TW);
    const int ty = tile / TW - n * TH;
    const int tx = tile - (tile / TW) * TW;
    const size_t point = (size_t)C * tiles;
    __global const float* x_plane = x_g + ((size_t)(n0 + n) * C + c) * xPlane; // planes xPlane floats apart
    const int y0 = TILE_OUT * ty - PH;
    const int x0 = TILE_OUT * tx - PW;
    float t[TILE_IN][TILE_IN]; // (B^T d)^T: column j of the tile d, transformed, is row j
    UNROLL for (int j = 0; j < TILE_IN; j++) {
        const int w = x0 + j;
        float column[TILE_IN];
        UNROLL for (int i = 0; i < TILE_IN; i++) {
            const int h = y0 + i;
            column[i] = h >= 0 && h < H && w >= 0 && w < W ? x_plane[h * W + w] : 0.0f;
        }
        INPUT_LINE(column, t[j]);
    }
    __global float* v = v_g + (size_t)c * tiles + tile;
    UNROLL for (int i = 0; i < TILE_IN; i++) { // row i of (B^T d) B
        float row[TILE_IN];
        UNROLL for (int j = 0; j < TILE_IN; j++) {
            row[j] = t[j][i];
        }
        float out[TILE_IN];
        INPUT_LINE(row, out);
        UNROLL for (int j = 0; j < TILE_IN; j++) {
            v[(i * TILE_IN + j) * point] = out[j];
        }
    }
}

__kernel void winograd_output(__global const float* m_g, __global const float* b_g, __global const float* r_g,
                              __global float* y_g, const int O, const int OH, const int OW, const int TH,
                              const int TW, const int n0, const int NB, const int epilogue, const int yPlane,
                              const int rPlane) {
    const int tile = get_global_id(0);
    const int o = get_global_id(1);
    const int tiles = NB * TH * TW;
    if (tile >= tiles || o >= O) {
        return;
    }
    const int n = tile / (TH * TW);
    const int ty = tile / TW - n * TH;
    const int tx = tile - (tile / TW) * TW;
    const size_t point = (size_t)O * tiles;
    __global const float* m_p = m_g + (size_t)o * tiles + tile;
    float t[TILE_IN][TILE_OUT]; // (A^T m)^T: column j of m, transformed, is row j
    UNROLL for (int j = 0; j < TILE_IN; j++) {
        float column[TILE_IN];
        UNROLL for (int i = 0; i < TILE_IN; i++) {
            column[i] = m_p[(i * TILE_IN + j) * point];
        }
        OUTPUT_LINE(column, t[j]);
    }
    const size_t plane = ((size_t)(n0 + n) * O + o) * yPlane;        // y's planes yPlane floats apart
    const size_t operand = ((size_t)(n0 + n) * O + o) * rPlane;      // the operand's rPlane floats apart
    const float bias = (epilogue & EPILOGUE_BIAS) ? b_g[o] : 0.0f;
    const int rows = min(TILE_OUT, OH - TILE_OUT * ty);
    const int cols = min(TILE_OUT, OW - TILE_OUT * tx);
    UNROLL for (int i = 0; i < TILE_OUT; i++) { // row i of (A^T m) A
        float row[TILE_IN];
        UNROLL for (int j = 0; j < TILE_IN; j++) {
            row[j] = t[j][i];
        }
        float out[TILE_OUT];
        OUTPUT_LINE(row, out);
        const size_t within = (size_t)(TILE_OUT * ty + i) * OW + TILE_OUT * tx;
        const size_t at = plane + within;
        const size_t r_at = operand + within;
        UNROLL for (int j = 0; j < TILE_OUT; j++) {
            if (i < rows && j < cols) { // the last tiles of a row or column reach past the output
                y_g[at + j] = epilogue_tail(out[j] + bias, epilogue, r_g + r_at + j, r_g);
            }
        }
    }
}
