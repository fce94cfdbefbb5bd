// matmul.cl -- the general matrix product c = op(a) * op(b) (torch.matmul of rank-2 tensors, with either operand
// transposed), used for the gradients of linear layers.
//
// Kernel (gather formulation: every element of c is computed by exactly one work item; no local memory, which
// only slows PoCL's CPU devices down; each work item keeps MATMUL_TILE_M x VECTOR_WIDTH results in registers and
// per step of k loads VECTOR_WIDTH values of b, broadcasts MATMUL_TILE_M values of a and does as many fused
// multiply-adds):
//   matmul   c (M,N) = op(a) (M,K) * op(b) (K,N), sums in k order. op(a) = a stored (M,K), or a stored (K,M) read
//            transposed when transposeA != 0; likewise b stored (K,N) (one vector load per step), or (N,K) when
//            transposeB != 0 (VECTOR_WIDTH strided loads per step; packing b into column strips first was
//            measured slower for the few rows M of linear layers: the extra pass over b costs more than it saves).
//            The transposes are arguments, not build options, so one program serves all four combinations.
//            Work item: MATMUL_TILE_M rows x VW columns. Global (ceil(N / VW), ceil(M / MATMUL_TILE_M)).
//
// Layout: row-major, element (i,j) of an (R,S) matrix at i*S + j. Any M, N, K >= 1: rows past M repeat the last
// row, columns past N the last column, and neither is stored. Loops over the tile carry #pragma unroll: without
// it PoCL kept the accumulators in memory (measured 2x slower).

#ifndef VECTOR_WIDTH
#define VECTOR_WIDTH 8     // columns of c per work item, one vector (4, 8, 16)
#endif
#ifndef MATMUL_TILE_M
#define MATMUL_TILE_M 8    // rows of c per work item (1 or more)
#endif

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define realV CAT(float, VECTOR_WIDTH)      // a vector of VECTOR_WIDTH floats
#define vloadV CAT(vload, VECTOR_WIDTH)
#define vstoreV CAT(vstore, VECTOR_WIDTH)

// VECTOR_WIDTH values p[min(first + t, last) * step], t = 0 .. VW-1
inline realV gatherV(__global const float* p, const int first, const int last, const size_t step) {
    float lanes_p[VECTOR_WIDTH];
    #pragma unroll
    for (int t = 0; t < VECTOR_WIDTH; t++) {
        lanes_p[t] = p[(size_t)min(first + t, last) * step];
    }
    return vloadV(0, lanes_p);
}

// the inner loop for one way of reading b: B_VECTOR(k) yields op(b)[k, n0 .. n0+VW-1]
#define ACCUMULATE(B_VECTOR)                                                                                 \
    for (int k = 0; k < K; k++) {                                                                            \
        const realV bv = B_VECTOR(k);                                                                        \
        _Pragma("unroll")                                                                                    \
        for (int i = 0; i < MATMUL_TILE_M; i++) {                                                            \
            acc_p[i] = fma((realV)(a_g[aRow_p[i] + (size_t)k * aStep]), bv, acc_p[i]);                       \
        }                                                                                                    \
    }

__kernel void matmul(__global const float* a_g, __global const float* b_g, __global float* c_g,
                     const int M, const int N, const int K, const int transposeA, const int transposeB) {
    const int n0 = get_global_id(0) * VECTOR_WIDTH;
    const int m0 = get_global_id(1) * MATMUL_TILE_M;
    if (n0 >= N || m0 >= M) {
        return;
    }
    // op(a)[m, k] = a_g[aRow_p[i] + k * aStep]; rows past M repeat the last row and are not stored
    const size_t aStep = transposeA ? M : 1;
    size_t aRow_p[MATMUL_TILE_M];
    #pragma unroll
    for (int i = 0; i < MATMUL_TILE_M; i++) {
        const int m = min(m0 + i, M - 1);
        aRow_p[i] = transposeA ? (size_t)m : (size_t)m * K;
    }
    realV acc_p[MATMUL_TILE_M];
    #pragma unroll
    for (int i = 0; i < MATMUL_TILE_M; i++) {
        acc_p[i] = (realV)(0.0f);
    }
    const bool full = n0 + VECTOR_WIDTH <= N;
    // columns past N repeat column N-1 and are not stored
#define B_ROW(k) vloadV(0, b_g + (size_t)(k) * N + n0)
#define B_ROW_EDGE(k) gatherV(b_g + (size_t)(k) * N, n0, N - 1, 1)
#define B_COLUMNS(k) gatherV(b_g + (k), n0, N - 1, K)
    if (transposeB) {
        ACCUMULATE(B_COLUMNS)
    } else if (full) {
        ACCUMULATE(B_ROW)
    } else {
        ACCUMULATE(B_ROW_EDGE)
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
