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
//                    epilogue (+ b[o], + r at y's index, ReLU; bits of `epilogue` as there), stored where it lies
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

__kernel void winograd_filter(__global const float* w_g, __global float* u_g, const int O, const int C) {
    const int c = get_global_id(0);
    const int o = get_global_id(1);
    if (c >= C || o >= O) {
        return;
    }
    const size_t point = (size_t)O * C; // floats between transformed points xi and xi + 1
    __global const float* g = w_g + ((size_t)o * C + c) * 9;
    float t[6][3]; // G g: 6 rows of 3
    UNROLL for (int j = 0; j < 3; j++) {
        const float g0 = g[j];
        const float g1 = g[3 + j];
        const float g2 = g[6 + j];
        t[0][j] = 0.25f * g0;
        t[1][j] = -(g0 + g1 + g2) / 6.0f;
        t[2][j] = -(g0 - g1 + g2) / 6.0f;
        t[3][j] = g0 / 24.0f + g1 / 12.0f + g2 / 6.0f;
        t[4][j] = g0 / 24.0f - g1 / 12.0f + g2 / 6.0f;
        t[5][j] = g2;
    }
    __global float* u = u_g + (size_t)o * C + c;
    UNROLL for (int i = 0; i < 6; i++) { // (G g) G^T, row i
        const float g0 = t[i][0];
        const float g1 = t[i][1];
        const float g2 = t[i][2];
        u[(i * 6 + 0) * point] = 0.25f * g0;
        u[(i * 6 + 1) * point] = -(g0 + g1 + g2) / 6.0f;
        u[(i * 6 + 2) * point] = -(g0 - g1 + g2) / 6.0f;
        u[(i * 6 + 3) * point] = g0 / 24.0f + g1 / 12.0f + g2 / 6.0f;
        u[(i * 6 + 4) * point] = g0 / 24.0f - g1 / 12.0f + g2 / 6.0f;
        u[(i * 6 + 5) * point] = g2;
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
    __global float* v = v_g + (size_t)c * tiles + tile;
    const int y0 = 4 * ty - PH;
    const int x0 = 4 * tx - PW;
    float d[6][6];
    UNROLL for (int i = 0; i < 6; i++) {
        const int h = y0 + i;
        UNROLL for (int j = 0; j < 6; j++) {
            const int w = x0 + j;
            d[i][j] = h >= 0 && h < H && w >= 0 && w < W ? x_plane[h * W + w] : 0.0f;
        }
    }
    float t[6][6]; // B^T d
    UNROLL for (int j = 0; j < 6; j++) {
        const float d0 = d[0][j], d1 = d[1][j], d2 = d[2][j], d3 = d[3][j], d4 = d[4][j], d5 = d[5][j];
        t[0][j] = 4.0f * d0 - 5.0f * d2 + d4;
        t[1][j] = -4.0f * (d1 + d2) + d3 + d4;
        t[2][j] = 4.0f * (d1 - d2) - d3 + d4;
        t[3][j] = 2.0f * (d3 - d1) - d2 + d4;
        t[4][j] = 2.0f * (d1 - d3) - d2 + d4;
        t[5][j] = 4.0f * d1 - 5.0f * d3 + d5;
    }
    UNROLL for (int i = 0; i < 6; i++) { // (B^T d) B, row i
        const float d0 = t[i][0], d1 = t[i][1], d2 = t[i][2], d3 = t[i][3], d4 = t[i][4], d5 = t[i][5];
        v[(i * 6 + 0) * point] = 4.0f * d0 - 5.0f * d2 + d4;
        v[(i * 6 + 1) * point] = -4.0f * (d1 + d2) + d3 + d4;
        v[(i * 6 + 2) * point] = 4.0f * (d1 - d2) - d3 + d4;
        v[(i * 6 + 3) * point] = 2.0f * (d3 - d1) - d2 + d4;
        v[(i * 6 + 4) * point] = 2.0f * (d1 - d3) - d2 + d4;
        v[(i * 6 + 5) * point] = 4.0f * d1 - 5.0f * d3 + d5;
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
    float t[4][6]; // A^T m
    UNROLL for (int j = 0; j < 6; j++) {
        const float m0 = m_p[(0 * 6 + j) * point];
        const float m1 = m_p[(1 * 6 + j) * point];
        const float m2 = m_p[(2 * 6 + j) * point];
        const float m3 = m_p[(3 * 6 + j) * point];
        const float m4 = m_p[(4 * 6 + j) * point];
        const float m5 = m_p[(5 * 6 + j) * point];
        t[0][j] = m0 + m1 + m2 + m3 + m4;
        t[1][j] = m1 - m2 + 2.0f * (m3 - m4);
        t[2][j] = m1 + m2 + 4.0f * (m3 + m4);
        t[3][j] = m1 - m2 + 8.0f * (m3 - m4) + m5;
    }
    const size_t plane = ((size_t)(n0 + n) * O + o) * OH * OW;
    const float bias = (epilogue & EPILOGUE_BIAS) ? b_g[o] : 0.0f;
    const int rows = min(4, OH - 4 * ty);
    const int cols = min(4, OW - 4 * tx);
    UNROLL for (int i = 0; i < 4; i++) { // (A^T m) A, row i
        const float m0 = t[i][0], m1 = t[i][1], m2 = t[i][2], m3 = t[i][3], m4 = t[i][4], m5 = t[i][5];
        float out[4];
        out[0] = m0 + m1 + m2 + m3 + m4;
        out[1] = m1 - m2 + 2.0f * (m3 - m4);
        out[2] = m1 + m2 + 4.0f * (m3 + m4);
        out[3] = m1 - m2 + 8.0f * (m3 - m4) + m5;
        const size_t row = plane + (size_t)(4 * ty + i) * OW + 4 * tx;
        UNROLL for (int j = 0; j < 4; j++) {
            if (i < rows && j < cols) { // the last tiles of a row or column reach past the output
                float value = out[j] + bias;
                if (epilogue & EPILOGUE_RESIDUAL) {
                    value += r_g[row + j];
                }
                if (epilogue & EPILOGUE_RELU) {
                    value = fmax(value, 0.0f);
                }
                y_g[row + j] = value;
            }
        }
    }
}
