// gemm.cl -- F.linear: out (N,M) = x (N,K) * W^T + b with W (M,K), both row-major, no local memory.
//
// Kernels
//   linear_nt  one work item computes TILE_M output features x TILE_N input rows. Both operands are read along
//              k, where they are contiguous: per step it loads TILE_M + TILE_N vectors of VEC_K floats and does
//              TILE_M * TILE_N vector fused multiply-adds into partial sums, summed across lanes at the end (then
//              a scalar loop for the last K % VEC_K terms). With N = 1 it streams W once: bound by memory.
//              Rows past M or N read a clamped row and are not stored.
//              Global size: (ceil(N/TILE_N), ceil(M/TILE_M)): work items next to each other share their W rows,
//              so W is read from memory once even when N spans several tiles.
//
// Layout: x[n*K + k], W[m*K + k], out[n*M + m].

#ifndef TILE_M
#define TILE_M 4 // output features per work item (1..8)
#endif
#ifndef TILE_N
#define TILE_N 2 // input rows per work item (1..8)
#endif
#ifndef VEC_K
#define VEC_K 16 // width of the partial-sum vectors along k (4, 8, 16)
#endif

#define CONCAT_(a, b) a##b
#define CONCAT(a, b) CONCAT_(a, b)
#define realk CONCAT(float, VEC_K)
#define vload_realk CONCAT(vload, VEC_K)

float sum_lanes(const realk v) {
    const float* lanes = (const float*)&v;
    float s = 0.0f;
    for (int i = 0; i < VEC_K; i++) {
        s += lanes[i];
    }
    return s;
}

__kernel void linear_nt(__global const float* restrict x_g, __global const float* restrict w_g,
                        __global const float* restrict bias_g, __global float* restrict out_g,
                        const int N, const int K, const int M, const int has_bias) {
    const int n0 = get_global_id(0) * TILE_N;
    const int m0 = get_global_id(1) * TILE_M;
    GUARD(m0, M);
    GUARD(n0, N);

    __global const float* w_row[TILE_M];
    __global const float* x_row[TILE_N];
    #pragma unroll
    for (int j = 0; j < TILE_M; j++) {
        w_row[j] = w_g + (size_t)min(m0 + j, M - 1) * K;
    }
    #pragma unroll
    for (int i = 0; i < TILE_N; i++) {
        x_row[i] = x_g + (size_t)min(n0 + i, N - 1) * K;
    }

    realk acc_p[TILE_N][TILE_M];
    #pragma unroll
    for (int i = 0; i < TILE_N; i++) {
        #pragma unroll
        for (int j = 0; j < TILE_M; j++) {
            acc_p[i][j] = (realk)(0.0f);
        }
    }
    int k = 0;
    for (; k + VEC_K <= K; k += VEC_K) {
        realk w_p[TILE_M];
        #pragma unroll
        for (int j = 0; j < TILE_M; j++) {
            w_p[j] = vload_realk(0, w_row[j] + k);
        }
        #pragma unroll
        for (int i = 0; i < TILE_N; i++) {
            const realk xv = vload_realk(0, x_row[i] + k);
            #pragma unroll
            for (int j = 0; j < TILE_M; j++) {
                acc_p[i][j] = fma(xv, w_p[j], acc_p[i][j]);
            }
        }
    }

    #pragma unroll
    for (int i = 0; i < TILE_N; i++) {
        #pragma unroll
        for (int j = 0; j < TILE_M; j++) {
            const int n = n0 + i;
            const int m = m0 + j;
            float s = sum_lanes(acc_p[i][j]);
            for (int kt = k; kt < K; kt++) {
                s = fma(x_row[i][kt], w_row[j][kt], s);
            }
            if (n < N && m < M) {
                out_g[(size_t)n * M + m] = s + (has_bias ? bias_g[m] : 0.0f);
            }
        }
    }
}
