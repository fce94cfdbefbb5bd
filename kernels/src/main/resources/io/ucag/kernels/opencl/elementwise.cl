// elementwise.cl -- pointwise ops, broadcast add / mul and inference batch norm, with PyTorch's special-value
// behaviour (NaN and -0.0 pass through relu and clamp; exp overflows to +inf). Built without fast-math
// options: isnan and comparisons with NaN must keep their IEEE meaning.
//
// Kernels:
//   elementwise_relu, elementwise_scale, elementwise_exp, elementwise_clamp
//       out_g[i] = f(in_g[i]) for i < count; global size (count).
//   broadcast_add, broadcast_mul
//       out = a op b over a BroadcastPlan (see io.ucag.runtime.BroadcastPlan): the output is split into
//       `rows` rows of `inner` elements (the innermost group); row r decomposes into outer group indices
//       r = (((i0*dim1 + i1)*dim2 + i2)*dim3 + i3)*dim4 + i4 (unused leading groups have size 1, stride 0),
//       and element (r, k) reads a_g[sum ij*strideAj + k*innerStrideA], likewise b_g. Global size
//       (inner, rows).
//   batch_norm
//       out = fma(x, alpha, shift) with alpha = gamma / sqrt(var + eps) and shift = beta - mean * alpha of
//       channel c, as PyTorch's CPU kernel. x is (N,C,...) seen as N*C planes of `inner` elements, plane p has
//       channel p % C; element (p, k) at p*inner + k. Global size (inner, N*C).
//
// Parameters read: all sizes are kernel arguments (no build-time parameters; these kernels are memory-bound).

// Round every product as the Java reference does (no silent a*b+c -> fma contraction).
#pragma OPENCL FP_CONTRACT OFF

__kernel void elementwise_relu(__global const float* in_g, __global float* out_g, const int count) {
    const int i = get_global_id(0);
    GUARD(i, count);
    const float v = in_g[i];
    out_g[i] = v < 0.0f ? 0.0f : v; // not fmax: that would turn NaN into 0 and -0.0 into 0
}

__kernel void elementwise_scale(__global const float* in_g, __global float* out_g, const float factor,
                                const int count) {
    const int i = get_global_id(0);
    GUARD(i, count);
    out_g[i] = in_g[i] * factor;
}

__kernel void elementwise_exp(__global const float* in_g, __global float* out_g, const int count) {
    const int i = get_global_id(0);
    GUARD(i, count);
    out_g[i] = exp(in_g[i]);
}

__kernel void elementwise_clamp(__global const float* in_g, __global float* out_g, const float lo, const float hi,
                                const int count) {
    const int i = get_global_id(0);
    GUARD(i, count);
    const float v = in_g[i];
    out_g[i] = v < lo ? lo : (v > hi ? hi : v); // not clamp(): its fmin/fmax would drop NaN
}

// Offset of output row `row` in an input with outer group strides s0..s4.
#define ROW_OFFSET(row, s0, s1, s2, s3, s4) \
    ((row) % dim4 * (s4) + (row) / dim4 % dim3 * (s3) + (row) / (dim4 * dim3) % dim2 * (s2) \
     + (row) / (dim4 * dim3 * dim2) % dim1 * (s1) + (row) / (dim4 * dim3 * dim2 * dim1) * (s0))

#define BROADCAST_KERNEL(NAME, OP)                                                                             \
__kernel void NAME(__global const float* a_g, __global const float* b_g, __global float* out_g,              \
                   const int inner, const int rows, const int innerStrideA, const int innerStrideB,            \
                   const int dim1, const int dim2, const int dim3, const int dim4,                              \
                   const int strideA0, const int strideA1, const int strideA2, const int strideA3,             \
                   const int strideA4, const int strideB0, const int strideB1, const int strideB2,             \
                   const int strideB3, const int strideB4) {                                                    \
    const int k = get_global_id(0);                                                                            \
    const int row = get_global_id(1);                                                                          \
    if (k >= inner || row >= rows) {                                                                           \
        return;                                                                                                \
    }                                                                                                          \
    const int a = ROW_OFFSET(row, strideA0, strideA1, strideA2, strideA3, strideA4) + k * innerStrideA;        \
    const int b = ROW_OFFSET(row, strideB0, strideB1, strideB2, strideB3, strideB4) + k * innerStrideB;        \
    out_g[(size_t)row * inner + k] = a_g[a] OP b_g[b];                                                        \
}

BROADCAST_KERNEL(broadcast_add, +)
BROADCAST_KERNEL(broadcast_mul, *)

__kernel void batch_norm(__global const float* in_g, __global float* out_g, __global const float* mean_g,
                         __global const float* var_g, __global const float* gamma_g, __global const float* beta_g,
                         const float eps, const int inner, const int planes, const int channels) {
    const int k = get_global_id(0);
    const int plane = get_global_id(1);
    if (k >= inner || plane >= planes) {
        return;
    }
    const int c = plane % channels;
    const float alpha = gamma_g[c] * (1.0f / sqrt(var_g[c] + eps));
    const float shift = beta_g[c] - mean_g[c] * alpha;
    const size_t i = (size_t)plane * inner + k;
    out_g[i] = fma(in_g[i], alpha, shift);
}
