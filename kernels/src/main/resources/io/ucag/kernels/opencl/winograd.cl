// winograd.cl -- 3x3 stride-1 convolution (groups = 1, no dilation) by Winograd's minimal filtering F(4x4, 3x3)
// (Lavin & Gray, CVPR 2016), with PyTorch's conv2d semantics (cross-correlation, zero padding).
//
// Each 4x4 output tile comes from a 6x6 input tile d as Y = A^T [sum over c of U_c (.) V_c] A, with U = G g G^T
// (the 3x3 filter g, transformed) and V = B^T d B (the input tile, transformed), (.) element-wise. For each of
// the 36 points xi of the transformed tile, the sum over input channels is a GEMM
//   M_xi (O x T) = U_xi (O x C) * V_xi (C x T)      over the T tiles of the batch,
// which conv.cl's conv2d runs as a 1x1 convolution (36 "images", one weight matrix each): 36 multiply-adds per
// tile, channel and filter instead of the direct convolution's 16 * 9 = 144. The transforms, here, are
// memory-bound passes:
//   winograd_filter  U (36, O, C) from w (O, C, 3, 3). Work item: one filter o, all its C channels (a work item
//                    per weight costs more in PoCL's per-item overhead than the transform). Global size (O).
//   winograd_input   V (36, C, T) from images n0 .. n0+NB-1 of x (N, C, H, W), zero outside x: tile
//                    t = (n*TH + ty)*TW + tx reads rows 4*ty - PH .. 4*ty - PH + 5 and the columns likewise of
//                    image n0 + n. Work item: one row of TW tiles of one channel of one image.
//                    Global size (TH, C, NB).
//   winograd_output  y (N, O, OH, OW) for images n0 .. n0+NB-1 from M (36, O, T): the tile A^T m A, then conv.cl's
//                    epilogue (+ b[o], + r at y's index, ReLU, r / ., r * .; bits of `epilogue` as there), stored where it lies
//                    inside OH x OW. Work item: one row of TW tiles of one output channel of one image.
//                    Global size (TH, O, NB).
// TH = ceil(OH / 4), TW = ceil(OW / 4). Layouts: NCHW as in conv.cl; U, V, M row-major as written.
//
// Accuracy: the transforms multiply by up to 5 (B), 1/24 .. 1/4 (G) and 8 (A), so the rounding error is about ten
// times the direct convolution's; WinogradTest bounds it against a float64 reference.

// Loops over the small tiles are unrolled so that their arrays live in registers, not on the stack.
#define UNROLL _Pragma("unroll")

#define EPILOGUE_BIAS 1     // + b[o]
#define EPILOGUE_RESIDUAL 2 // + r at the output's own index
#define EPILOGUE_RELU 4     // max(0, .)
#define EPILOGUE_DIVIDE 8   // r / . instead of + r
#define EPILOGUE_MULTIPLY 16 // r * . instead of + r

// The three 1-D transforms, each applied to the columns of a tile and then to the rows of the result:
// out (6) = G in (3), the filter's
#define FILTER_LINE(in, out)                                                                                   \
    do {                                                                                                       \
        out[0] = 0.25f * in[0];                                                                                \
        out[1] = -(in[0] + in[1] + in[2]) / 6.0f;                                                              \
        out[2] = -(in[0] - in[1] + in[2]) / 6.0f;                                                              \
        out[3] = in[0] / 24.0f + in[1] / 12.0f + in[2] / 6.0f;                                                 \
        out[4] = in[0] / 24.0f - in[1] / 12.0f + in[2] / 6.0f;                                                 \
        out[5] = in[2];                                                                                        \
    } while (0)
// out (6) = B^T in (6), the input's
#define INPUT_LINE(in, out)                                                                                    \
    do {                                                                                                       \
        out[0] = 4.0f * in[0] - 5.0f * in[2] + in[4];                                                          \
        out[1] = -4.0f * (in[1] + in[2]) + in[3] + in[4];                                                      \
        out[2] = 4.0f * (in[1] - in[2]) - in[3] + in[4];                                                       \
        out[3] = 2.0f * (in[3] - in[1]) - in[2] + in[4];                                                       \
        out[4] = 2.0f * (in[1] - in[3]) - in[2] + in[4];                                                       \
        out[5] = 4.0f * in[1] - 5.0f * in[3] + in[5];                                                          \
    } while (0)
// out (4) = A^T in (6), the output's
#define OUTPUT_LINE(in, out)                                                                                   \
    do {                                                                                                       \
        out[0] = in[0] + in[1] + in[2] + in[3] + in[4];                                                        \
        out[1] = in[1] - in[2] + 2.0f * (in[3] - in[4]);                                                       \
        out[2] = in[1] + in[2] + 4.0f * (in[3] + in[4]);                                                       \
        out[3] = in[1] - in[2] + 8.0f * (in[3] - in[4]) + in[5];                                               \
    } while (0)

__kernel void winograd_filter(__global const float* w_g, __global float* u_g, const int O, const int C) {
    const int c = get_global_id(0);
    const int o = get_global_id(1);
    if (c >= C || o >= O) {
        return;
    }
    const size_t point = (size_t)O * C; // floats between transformed points xi and xi + 1
    __global const float* g = w_g + ((size_t)o * C + c) * 9;
    float t[3][6]; // (G g)^T: column j of g, transformed, is row j
    UNROLL for (int j = 0; j < 3; j++) {
        const float column[3] = {g[j], g[3 + j], g[6 + j]};
        FILTER_LINE(column, t[j]);
    }
    __global float* u = u_g + (size_t)o * C + c;
    UNROLL for (int i = 0; i < 6; i++) { // row i of (G g) G^T
        const float row[3] = {t[0][i], t[1][i], t[2][i]};
        float out[6];
        FILTER_LINE(row, out);
        UNROLL for (int j = 0; j < 6; j++) {
            u[(i * 6 + j) * point] = out[j];
        }
    }
}

__kernel void winograd_input(__global const float* x_g, __global float* v_g, const int C, const int H,
                             const int W, const int PH, const int PW, const int TH, const int TW, const int n0,
                             const int NB) {
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
    __global const float* x_plane = x_g + ((size_t)(n0 + n) * C + c) * H * W;
    const int y0 = 4 * ty - PH;
    const int x0 = 4 * tx - PW;
    float t[6][6]; // (B^T d)^T: column j of the tile d, transformed, is row j
    UNROLL for (int j = 0; j < 6; j++) {
        const int w = x0 + j;
        float column[6];
        UNROLL for (int i = 0; i < 6; i++) {
            const int h = y0 + i;
            column[i] = h >= 0 && h < H && w >= 0 && w < W ? x_plane[h * W + w] : 0.0f;
        }
        INPUT_LINE(column, t[j]);
    }
    __global float* v = v_g + (size_t)c * tiles + tile;
    UNROLL for (int i = 0; i < 6; i++) { // row i of (B^T d) B
        float row[6];
        UNROLL for (int j = 0; j < 6; j++) {
            row[j] = t[j][i];
        }
        float out[6];
        INPUT_LINE(row, out);
        UNROLL for (int j = 0; j < 6; j++) {
            v[(i * 6 + j) * point] = out[j];
        }
    }
}

__kernel void winograd_output(__global const float* m_g, __global const float* b_g, __global const float* r_g,
                              __global float* y_g, const int O, const int OH, const int OW, const int TH,
                              const int TW, const int n0, const int NB, const int epilogue) {
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
    float t[6][4]; // (A^T m)^T: column j of m, transformed, is row j
    UNROLL for (int j = 0; j < 6; j++) {
        float column[6];
        UNROLL for (int i = 0; i < 6; i++) {
            column[i] = m_p[(i * 6 + j) * point];
        }
        OUTPUT_LINE(column, t[j]);
    }
    const size_t plane = ((size_t)(n0 + n) * O + o) * OH * OW;
    const float bias = (epilogue & EPILOGUE_BIAS) ? b_g[o] : 0.0f;
    const int rows = min(4, OH - 4 * ty);
    const int cols = min(4, OW - 4 * tx);
    UNROLL for (int i = 0; i < 4; i++) { // row i of (A^T m) A
        float row[6];
        UNROLL for (int j = 0; j < 6; j++) {
            row[j] = t[j][i];
        }
        float out[4];
        OUTPUT_LINE(row, out);
        const size_t at = plane + (size_t)(4 * ty + i) * OW + 4 * tx;
        UNROLL for (int j = 0; j < 4; j++) {
            if (i < rows && j < cols) { // the last tiles of a row or column reach past the output
                float value = out[j] + bias;
                if (epilogue & EPILOGUE_RESIDUAL) {
                    value += r_g[at + j];
                }
                if (epilogue & EPILOGUE_RELU) {
                    value = fmax(value, 0.0f);
                }
                if (epilogue & EPILOGUE_DIVIDE) {
                    value = r_g[at + j] / value;
                }
                if (epilogue & EPILOGUE_MULTIPLY) {
                    value = r_g[at + j] * value;
                }
                y_g[at + j] = value;
            }
        }
    }
}
