// pointwise_backward.cl -- gradients of relu, clamp, softmax and a max reduction (PyTorch's formulas).
//
// Kernels:
//   relu_backward      : n work items; grad where output > 0 or NaN (PyTorch zeroes where output <= 0).
//   clamp_backward     : n work items; grad where min <= input <= max (inclusive; NaN input gets 0).
//   softmax_backward   : one work item per softmax row (rows = outer*inner); y * (g - sum(g * y)) along the
//                        axis, the sum accumulated in float in axis order.
//   max_reduce_ties_run / max_reduce_backward_run: fast variants for reduced axes that form one run of
//                        adjacent axes (size-1 axes aside): the input seen as (A, B, C) with B reduced, the
//                        keep-dims tensors as (A, C); 3-D grids, no index division.
//   max_reduce_ties    : one work item per reduced group: how many of its elements equal its maximum (int).
//   max_reduce_backward: n work items; (g / ties) * (x == max ? 1 : 0), PyTorch's amax backward; a NaN maximum
//                        has 0 ties, so its group gets NaN as in PyTorch.
//
// Layout: dense row-major. A softmax row along an axis of length len with `inner` elements after it starts at
// (row / inner) * len * inner + row % inner and has stride inner. The general max-reduction kernels see the
// input as rank MAX_RANK, dims d0..d5 (the host merges adjacent axes of one kind and adds leading ones), with
// bit a of reduced_mask set for each reduced axis a; the gradient, the maximum and the tie counts have the
// keep-dims shape (reduced axes of size 1).
//
// No tunable parameters.

#define MAX_RANK 6 // the d0..d5 arguments of the general max-reduction kernels (Shape.MAX_RANK)

#define IS_REDUCED(mask, a) (((mask) >> (a)) & 1)

__kernel void relu_backward(__global const float* grad_out_g, __global const float* out_g,
                            __global float* grad_in_g, int n) {
    const int i = get_global_id(0);
    GUARD(i, n);
    grad_in_g[i] = out_g[i] <= 0.0f ? 0.0f : grad_out_g[i];
}

__kernel void clamp_backward(__global const float* grad_out_g, __global const float* in_g,
                             __global float* grad_in_g, float min_value, float max_value, int n) {
    const int i = get_global_id(0);
    GUARD(i, n);
    const float x = in_g[i];
    grad_in_g[i] = x >= min_value && x <= max_value ? grad_out_g[i] : 0.0f;
}

__kernel void softmax_backward(__global const float* grad_out_g, __global const float* out_g,
                               __global float* grad_in_g, int rows, int len, int inner) {
    const int row = get_global_id(0);
    GUARD(row, rows);
    const int base = (row / inner) * len * inner + row % inner;
    float dot = 0.0f;
    for (int j = 0; j < len; j++) {
        dot += grad_out_g[base + j * inner] * out_g[base + j * inner];
    }
    for (int j = 0; j < len; j++) {
        const int i = base + j * inner;
        grad_in_g[i] = out_g[i] * (grad_out_g[i] - dot);
    }
}

__kernel void max_reduce_ties_run(__global const float* in_g,  // (A,B,C)
                                  __global const float* max_g, // (A,1,C)
                                  __global int* ties_g,        // (A,1,C) out
                                  int A, int B, int C) {
    const int c = get_global_id(0);
    const int a = get_global_id(1);
    if (c >= C || a >= A) {
        return;
    }
    const float max_value = max_g[a * C + c];
    int ties = 0;
    for (int b = 0; b < B; b++) {
        ties += in_g[(a * B + b) * C + c] == max_value;
    }
    ties_g[a * C + c] = ties;
}

__kernel void max_reduce_backward_run(__global const float* grad_out_g, // (A,1,C)
                                      __global const float* in_g,       // (A,B,C)
                                      __global const float* max_g,      // (A,1,C)
                                      __global const int* ties_g,       // (A,1,C)
                                      __global float* grad_in_g,        // (A,B,C)
                                      int A, int B, int C) {
    const int c = get_global_id(0);
    const int b = get_global_id(1);
    const int a = get_global_id(2);
    if (c >= C || b >= B || a >= A) {
        return;
    }
    const int i = (a * B + b) * C + c;
    const int k = a * C + c;
    const float share = grad_out_g[k] / (float) ties_g[k];
    grad_in_g[i] = share * (in_g[i] == max_g[k] ? 1.0f : 0.0f);
}

__kernel void max_reduce_ties(__global const float* in_g,  // input, dims d0..d5
                              __global const float* max_g, // (keep-dims) maximum of each group
                              __global int* ties_g,        // (keep-dims) out: elements equal to the maximum
                              int d0, int d1, int d2, int d3, int d4, int d5, int reduced_mask,
                              int group_size, int groups) {
    const int k = get_global_id(0);
    GUARD(k, groups);
    const int dims[MAX_RANK] = {d0, d1, d2, d3, d4, d5};
    int strides[MAX_RANK];
    int base = 0; // offset of the group's first element: the kept coordinates of k
    int rest = k;
    int stride = 1;
    for (int a = MAX_RANK - 1; a >= 0; a--) {
        strides[a] = stride;
        if (!IS_REDUCED(reduced_mask, a)) {
            base += (rest % dims[a]) * stride;
            rest /= dims[a];
        }
        stride *= dims[a];
    }
    const float max_value = max_g[k];
    int ties = 0;
    for (int r = 0; r < group_size; r++) {
        int offset = base;
        int rr = r;
        for (int a = MAX_RANK - 1; a >= 0; a--) {
            if (IS_REDUCED(reduced_mask, a)) {
                offset += (rr % dims[a]) * strides[a];
                rr /= dims[a];
            }
        }
        ties += in_g[offset] == max_value;
    }
    ties_g[k] = ties;
}

__kernel void max_reduce_backward(__global const float* grad_out_g, // (keep-dims)
                                  __global const float* in_g,       // input, dims d0..d5
                                  __global const float* max_g,      // (keep-dims)
                                  __global const int* ties_g,       // (keep-dims) from max_reduce_ties
                                  __global float* grad_in_g,        // input's shape
                                  int d0, int d1, int d2, int d3, int d4, int d5, int reduced_mask, int n) {
    const int i = get_global_id(0);
    GUARD(i, n);
    const int dims[MAX_RANK] = {d0, d1, d2, d3, d4, d5};
    int k = 0; // index of i's group in the keep-dims tensor
    int rest = i;
    int keep_stride = 1;
    for (int a = MAX_RANK - 1; a >= 0; a--) {
        const int coord = rest % dims[a];
        rest /= dims[a];
        if (!IS_REDUCED(reduced_mask, a)) {
            k += coord * keep_stride;
            keep_stride *= dims[a];
        }
    }
    const float share = grad_out_g[k] / (float) ties_g[k];
    grad_in_g[i] = share * (in_g[i] == max_g[k] ? 1.0f : 0.0f);
}
