// elementwise.cl -- pointwise ops, broadcast add / mul / div and inference batch norm, with PyTorch's
// special-value behaviour (NaN and -0.0 pass through relu and clamp; exp overflows to +inf; x/0 is +-inf and
// 0/0 NaN; sign(NaN) is 0). Built without fast-math options: isnan and comparisons with NaN must keep their
// IEEE meaning. Built with -cl-fp32-correctly-rounded-divide-sqrt (ClDevice builds every program so): OpenCL's
// default float division may be 2.5 ulp off, and div must match Java's (and torch's) correctly rounded one.
//
// Kernels:
//   elementwise_relu, elementwise_scale, elementwise_abs, elementwise_sign, elementwise_exp, elementwise_clamp
//       out_g[i] = f(in_g[i]) for i < count; global size (count).
//   positive_share
//       out_g[i] = f(mine_g[i], other_g[i], relevance_g[i]) (see the kernel); global size (count).
//   planes_relu, planes_add, planes_positive_shares
//       elementwise_relu, broadcast_add (operands of one shape) or relu(a + b), and both terms' positive shares
//       (positive_share twice) over (planes, plane) tensors whose planes start `*_stride` floats apart (padded
//       planes: ClBuffer.padded; a dense tensor's stride is its plane); out's padding is left undefined. Global
//       size (ceil(plane / 16), planes).
//   broadcast_add_3d, broadcast_mul_3d, broadcast_div_3d    (precondition: the BroadcastPlan has <= 3 groups)
//   broadcast_add_nd, broadcast_mul_nd, broadcast_div_nd    (any plan: 4 to 6 groups)
//       out = a op b over a BroadcastPlan (see io.ucag.runtime.BroadcastPlan), whose groups are
//       (outer..., mid, inner), missing ones of size 1. Global size (inner, mid, product of outer groups): no
//       integer division except the outer-group split of the _nd kernels (size-1 groups padded in front).
//   batch_norm
//       out = fma(x, alpha, shift) with alpha = gamma / sqrt(var + eps) and shift = beta - mean * alpha of
//       channel c, as PyTorch's CPU kernel. x is (N,C,...) with `inner` elements per (n,c), element (n,c,k) at
//       (n*C + c)*inner + k. Global size (inner, C, N).
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

// positive_share: one term's share of a sum's relevance under alpha1-beta0 (Device.positiveShare), the ops it
// replaces in their order: m = relu(mine), o = relu(other), out = m * (relevance / ((m + o) + step)).
__kernel void positive_share(__global const float* mine_g, __global const float* other_g,
                             __global const float* relevance_g, __global float* out_g, const float step,
                             const int count) {
    const int i = get_global_id(0);
    GUARD(i, count);
    const float mine = mine_g[i];
    const float other = other_g[i];
    const float m = mine < 0.0f ? 0.0f : mine; // relu as elementwise_relu
    const float o = other < 0.0f ? 0.0f : other;
    out_g[i] = m * (relevance_g[i] / ((m + o) + step));
}

// The planes_* kernels: work item (v, p) computes values [16v, 16v + 16) of plane p, as one float16 where they are
// all inside the plane (operands' planes may start anywhere: vload16 reads unaligned), else one by one. PoCL's
// own vectorisation across work items measured slower on padded 21x21 planes (positive share 0.55 ms dense, 1.2
// padded, 3 x 1024 planes).
#define PLANE_OFFSET(p, stride) ((size_t)(p) * (stride))

__kernel void planes_relu(__global const float* in_g, __global float* out_g, const int plane,
                          const int in_stride, const int out_stride) {
    const int i = get_global_id(0) * 16;
    const size_t p = get_global_id(1);
    const __global float* in_p = in_g + PLANE_OFFSET(p, in_stride);
    __global float* out_p = out_g + PLANE_OFFSET(p, out_stride);
    if (i + 16 <= plane) {
        const float16 v = vload16(0, in_p + i);
        vstore16(select(v, (float16)(0.0f), v < 0.0f), 0, out_p + i); // as elementwise_relu: NaN and -0.0 stay
    } else {
        for (int k = i; k < plane; k++) {
            const float v = in_p[k];
            out_p[k] = v < 0.0f ? 0.0f : v;
        }
    }
}

// relu(a + b) where `relu` is 1 (a residual block's output), a + b where it is 0.
__kernel void planes_add(__global const float* a_g, __global const float* b_g, __global float* out_g, const int relu,
                         const int plane, const int a_stride, const int b_stride, const int out_stride) {
    const int i = get_global_id(0) * 16;
    const size_t p = get_global_id(1);
    const __global float* a_p = a_g + PLANE_OFFSET(p, a_stride);
    const __global float* b_p = b_g + PLANE_OFFSET(p, b_stride);
    __global float* out_p = out_g + PLANE_OFFSET(p, out_stride);
    if (i + 16 <= plane) {
        const float16 v = vload16(0, a_p + i) + vload16(0, b_p + i);
        vstore16(relu ? select(v, (float16)(0.0f), v < 0.0f) : v, 0, out_p + i);
    } else {
        for (int k = i; k < plane; k++) {
            const float v = a_p[k] + b_p[k];
            out_p[k] = relu && v < 0.0f ? 0.0f : v;
        }
    }
}

// Both terms' shares at once: a_out = positive_share(a, b, r), b_out = positive_share(b, a, r), the same floats
// (m + o is o + m), from one read of the three operands.
__kernel void planes_positive_shares(__global const float* a_g, __global const float* b_g,
                                     __global const float* relevance_g, __global float* a_out_g,
                                     __global float* b_out_g, const float step, const int plane, const int a_stride,
                                     const int b_stride, const int relevance_stride, const int out_stride) {
    const int i = get_global_id(0) * 16;
    const size_t p = get_global_id(1);
    const __global float* a_p = a_g + PLANE_OFFSET(p, a_stride);
    const __global float* b_p = b_g + PLANE_OFFSET(p, b_stride);
    const __global float* relevance_p = relevance_g + PLANE_OFFSET(p, relevance_stride);
    __global float* a_out_p = a_out_g + PLANE_OFFSET(p, out_stride);
    __global float* b_out_p = b_out_g + PLANE_OFFSET(p, out_stride);
    if (i + 16 <= plane) {
        const float16 a = vload16(0, a_p + i);
        const float16 b = vload16(0, b_p + i);
        const float16 m = select(a, (float16)(0.0f), a < 0.0f);
        const float16 o = select(b, (float16)(0.0f), b < 0.0f);
        const float16 s = vload16(0, relevance_p + i) / ((m + o) + step);
        vstore16(m * s, 0, a_out_p + i);
        vstore16(o * s, 0, b_out_p + i);
    } else {
        for (int k = i; k < plane; k++) {
            const float m = a_p[k] < 0.0f ? 0.0f : a_p[k];
            const float o = b_p[k] < 0.0f ? 0.0f : b_p[k];
            const float s = relevance_p[k] / ((m + o) + step);
            a_out_p[k] = m * s;
            b_out_p[k] = o * s;
        }
    }
}

__kernel void elementwise_scale(__global const float* in_g, __global float* out_g, const float factor,
                                const int count) {
    const int i = get_global_id(0);
    GUARD(i, count);
    out_g[i] = in_g[i] * factor;
}

__kernel void elementwise_abs(__global const float* in_g, __global float* out_g, const int count) {
    const int i = get_global_id(0);
    GUARD(i, count);
    out_g[i] = fabs(in_g[i]); // clears the sign bit: fabs(-0.0) is 0.0, NaN stays NaN
}

// torch.sign (torch 1.13): (0 < x) - (x < 0), so -0.0 gives 0.0 and NaN gives 0 (not NaN, unlike numpy.sign).
__kernel void elementwise_sign(__global const float* in_g, __global float* out_g, const int count) {
    const int i = get_global_id(0);
    GUARD(i, count);
    const float v = in_g[i];
    out_g[i] = v > 0.0f ? 1.0f : (v < 0.0f ? -1.0f : 0.0f); // not sign(): it keeps -0.0 and NaN
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

// Broadcast kernels: work item (x, y, z) computes output element (z*mid + y)*inner + x and reads
// a_g[z_offset + y*mid_stride + x*inner_stride] (likewise b_g). In broadcast_*_3d, z is the one outer group's
// index; in broadcast_*_nd, z = ((i0*dim1 + i1)*dim2 + i2)*dim3 + i3 over four outer groups.
#define BROADCAST_KERNELS(NAME, OP)                                                                            \
__kernel void NAME##_3d(__global const float* a_g, __global const float* b_g, __global float* out_g,          \
                        const int inner, const int mid, const int outer,                                       \
                        const int innerStrideA, const int midStrideA, const int outerStrideA,                  \
                        const int innerStrideB, const int midStrideB, const int outerStrideB) {                \
    const int x = get_global_id(0);                                                                            \
    const int y = get_global_id(1);                                                                            \
    const int z = get_global_id(2);                                                                            \
    if (x >= inner || y >= mid || z >= outer) {                                                                \
        return;                                                                                                \
    }                                                                                                          \
    const float va = a_g[z * outerStrideA + y * midStrideA + x * innerStrideA];                                \
    const float vb = b_g[z * outerStrideB + y * midStrideB + x * innerStrideB];                                \
    out_g[((size_t)z * mid + y) * inner + x] = va OP vb;                                                       \
}                                                                                                              \
                                                                                                               \
__kernel void NAME##_nd(__global const float* a_g, __global const float* b_g, __global float* out_g,          \
                        const int inner, const int mid, const int outer,                                       \
                        const int dim1, const int dim2, const int dim3,                                        \
                        const int innerStrideA, const int midStrideA, const int strideA0, const int strideA1, \
                        const int strideA2, const int strideA3,                                                \
                        const int innerStrideB, const int midStrideB, const int strideB0, const int strideB1, \
                        const int strideB2, const int strideB3) {                                              \
    const int x = get_global_id(0);                                                                            \
    const int y = get_global_id(1);                                                                            \
    const int z = get_global_id(2);                                                                            \
    if (x >= inner || y >= mid || z >= outer) {                                                                \
        return;                                                                                                \
    }                                                                                                          \
    const int i3 = z % dim3;                                                                                   \
    const int i2 = z / dim3 % dim2;                                                                            \
    const int i1 = z / (dim3 * dim2) % dim1;                                                                   \
    const int i0 = z / (dim3 * dim2 * dim1);                                                                   \
    const float va = a_g[i0 * strideA0 + i1 * strideA1 + i2 * strideA2 + i3 * strideA3                         \
                         + y * midStrideA + x * innerStrideA];                                                 \
    const float vb = b_g[i0 * strideB0 + i1 * strideB1 + i2 * strideB2 + i3 * strideB3                         \
                         + y * midStrideB + x * innerStrideB];                                                 \
    out_g[((size_t)z * mid + y) * inner + x] = va OP vb;                                                       \
}

BROADCAST_KERNELS(broadcast_add, +)
BROADCAST_KERNELS(broadcast_mul, *)
BROADCAST_KERNELS(broadcast_div, /) // correctly rounded: see the build option in the header

__kernel void batch_norm(__global const float* in_g, __global float* out_g, __global const float* mean_g,
                         __global const float* var_g, __global const float* gamma_g, __global const float* beta_g,
                         const float eps, const int inner, const int channels, const int batch) {
    const int k = get_global_id(0);
    const int c = get_global_id(1);
    const int n = get_global_id(2);
    if (k >= inner || c >= channels || n >= batch) {
        return;
    }
    const float alpha = gamma_g[c] * (1.0f / sqrt(var_g[c] + eps));
    const float shift = beta_g[c] - mean_g[c] * alpha;
    const size_t i = ((size_t)n * channels + c) * inner + k;
    out_g[i] = fma(in_g[i], alpha, shift);
}
