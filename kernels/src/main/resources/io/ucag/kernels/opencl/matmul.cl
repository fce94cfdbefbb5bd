// matmul.cl -- the general matrix product c = op(a) * op(b) (torch.matmul of rank-2 tensors, with either operand
// transposed), used for the gradients of linear layers.
//
// Kernel (gather formulation: every element of c is computed by exactly one work item; no local memory, which
// only slows PoCL's CPU devices down; each work item keeps MATMUL_TILE_M x VECTOR_WIDTH results in registers):
//   matmul   c (M,N) = op(a) (M,K) * op(b) (K,N), sums in k order. op(a) = a stored (M,K), or a stored (K,M)
//            read transposed when TRANSPOSE_A = 1; likewise b stored (K,N), or (N,K) with TRANSPOSE_B = 1.
//            Global size (ceil(N / VECTOR_WIDTH), ceil(M / MATMUL_TILE_M)).
//
// Layout: row-major, element (i,j) of an (R,S) matrix at i*S + j. Any M, N, K >= 1: tiles hanging over the
// edge read clamped indices and store only what lies inside.

#ifndef VECTOR_WIDTH
#define VECTOR_WIDTH 8     // columns of c per work item, one vector (4, 8, 16)
#endif
#ifndef MATMUL_TILE_M
#define MATMUL_TILE_M 8    // rows of c per work item (1 or more)
#endif
#ifndef TRANSPOSE_A
#define TRANSPOSE_A 0      // a is stored (K,M) and used transposed (0, 1)
#endif
#ifndef TRANSPOSE_B
#define TRANSPOSE_B 0      // b is stored (N,K) and used transposed (0, 1)
#endif

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define realV CAT(float, VECTOR_WIDTH)      // a vector of VECTOR_WIDTH floats
#define vloadV CAT(vload, VECTOR_WIDTH)
#define vstoreV CAT(vstore, VECTOR_WIDTH)

#if TRANSPOSE_A
#define A_AT(m, k) a_g[(size_t)(k) * M + (m)]
#else
#define A_AT(m, k) a_g[(size_t)(m) * K + (k)]
#endif

__kernel void matmul(__global const float* a_g, __global const float* b_g, __global float* c_g,
                     const int M, const int N, const int K) {
    const int n0 = get_global_id(0) * VECTOR_WIDTH;
    const int m0 = get_global_id(1) * MATMUL_TILE_M;
    if (n0 >= N || m0 >= M) {
        return;
    }
    int row_p[MATMUL_TILE_M]; // rows past M repeat the last row; their results are not stored
    for (int i = 0; i < MATMUL_TILE_M; i++) {
        row_p[i] = min(m0 + i, M - 1);
    }
    realV acc_p[MATMUL_TILE_M];
    for (int i = 0; i < MATMUL_TILE_M; i++) {
        acc_p[i] = (realV)(0.0f);
    }
    const bool full = n0 + VECTOR_WIDTH <= N;
    for (int k = 0; k < K; k++) {
        realV bv;
#if TRANSPOSE_B
        float lanes_p[VECTOR_WIDTH];
        for (int t = 0; t < VECTOR_WIDTH; t++) {
            lanes_p[t] = b_g[(size_t)min(n0 + t, N - 1) * K + k];
        }
        bv = vloadV(0, lanes_p);
#else
        if (full) {
            bv = vloadV(0, b_g + (size_t)k * N + n0);
        } else {
            float lanes_p[VECTOR_WIDTH];
            for (int t = 0; t < VECTOR_WIDTH; t++) {
                lanes_p[t] = b_g[(size_t)k * N + min(n0 + t, N - 1)];
            }
            bv = vloadV(0, lanes_p);
        }
#endif
        for (int i = 0; i < MATMUL_TILE_M; i++) {
            acc_p[i] = fma((realV)(A_AT(row_p[i], k)), bv, acc_p[i]);
        }
    }
    for (int i = 0; i < MATMUL_TILE_M && m0 + i < M; i++) {
        __global float* c_row = c_g + (size_t)(m0 + i) * N + n0;
        if (full) {
            vstoreV(acc_p[i], 0, c_row);
        } else {
            float lanes_p[VECTOR_WIDTH];
            vstoreV(acc_p[i], 0, lanes_p);
            for (int t = 0; t < VECTOR_WIDTH && n0 + t < N; t++) {
                c_row[t] = lanes_p[t];
            }
        }
    }
}
