// reduction.cl -- softmax along one axis; sum / mean / max over any set of axes.
//
// Kernels
//   softmax_item   one work item per softmax line (short lines)
//   softmax_group  one work group of WG_SIZE items per line: strided loads, tree max and sum in local memory
//   reduce_item    one work item per output element, looping over its reduced elements (short reductions)
//   reduce_columns reduce_item where the innermost kept group is contiguous (stride 1) and at least REDUCE_VECTOR
//                  long: a work item takes REDUCE_VECTOR neighbouring outputs along it (the last ones of a row move
//                  back to end at the row's end; the overlap is written twice with the same values), so that its
//                  loads are vectors. The same sums in the same order as reduce_item. Grad-CAM's channel sum,
//                  (12, 2048, 11, 11) over axis 1: 6.6 -> 0.5 ms.
//   reduce_group   one work group per (output element, split): strided loads over a chunk of the reduced
//                  elements, then a tree in local memory. With splits > 1 it writes partial results,
//                  out[o * splits + split], that a second launch combines (a two-stage reduction).
//
// Layout: dense row-major float32. A softmax line of an input seen as (outer, length, inner) starts at
// (line / inner) * length * inner + line % inner and steps by inner.
// Reductions: the launcher merges adjacent kept / reduced axes (ReductionGeometry), which leaves at most three
// groups of each kind for rank <= 6. Kept groups kept_dim0..2 (outermost first) with input strides
// kept_stride0..2, reduced groups red_dim0..2 / red_stride0..2; unused groups have dim 1. Output element o
// (row-major over the kept groups) reduces in[offset(o, kept) + offset(r, reduced)] for r in [0, red_count).
// op: REDUCE_SUM or REDUCE_MAX (NaN wins, as torch.amax); the result is divided by `divisor` (the element
// count for a mean, else 1). Sums accumulate in float.

#ifndef WG_SIZE
#define WG_SIZE 64 // work-group size of the *_group kernels (power of 2, <= the device's max work-group size)
#endif

#define REDUCE_SUM 0
#define REDUCE_MAX 1
#define REDUCE_VECTOR 16 // reduce_columns: neighbouring outputs per work item

inline float reduce_identity(int op) {
    return op == REDUCE_MAX ? -INFINITY : 0.0f;
}

inline float reduce_combine(int op, float acc, float v) {
    return op == REDUCE_MAX ? ((v > acc || isnan(v)) ? v : acc) : acc + v;
}

// Offset of row-major index i over dims (d0, d1, d2) with strides (s0, s1, s2); i < d0 * d1 * d2.
inline int offset3(int i, int d0, int d1, int d2, int s0, int s1, int s2) {
    const int i2 = i % d2;
    i /= d2;
    const int i1 = i % d1;
    return (i / d1) * s0 + i1 * s1 + i2 * s2;
}

// Tree over acc_l[0..WG_SIZE); the result lands in acc_l[0]. Callers have written acc_l[lid].
inline void tree_combine(__local float* acc_l, int op, int lid) {
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int step = WG_SIZE / 2; step > 0; step >>= 1) {
        if (lid < step) {
            acc_l[lid] = reduce_combine(op, acc_l[lid], acc_l[lid + step]);
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
}

__kernel void softmax_item(const __global float* restrict in_g, __global float* restrict out_g,
                           const int length, const int inner, const int lines) {
    const int line = get_global_id(0);
    GUARD(line, lines);
    const int base = (line / inner) * length * inner + line % inner;
    float max_p = -INFINITY;
    for (int i = 0; i < length; i++) {
        max_p = reduce_combine(REDUCE_MAX, max_p, in_g[base + i * inner]);
    }
    float sum_p = 0.0f;
    for (int i = 0; i < length; i++) {
        const float e = exp(in_g[base + i * inner] - max_p);
        out_g[base + i * inner] = e;
        sum_p += e;
    }
    for (int i = 0; i < length; i++) {
        out_g[base + i * inner] /= sum_p;
    }
}

__kernel __attribute__((reqd_work_group_size(WG_SIZE, 1, 1)))
void softmax_group(const __global float* restrict in_g, __global float* restrict out_g,
                   const int length, const int inner) {
    __local float acc_l[WG_SIZE];
    const int line = get_group_id(0);
    const int lid = get_local_id(0);
    const int base = (line / inner) * length * inner + line % inner;

    float max_p = -INFINITY;
    for (int i = lid; i < length; i += WG_SIZE) {
        max_p = reduce_combine(REDUCE_MAX, max_p, in_g[base + i * inner]);
    }
    acc_l[lid] = max_p;
    tree_combine(acc_l, REDUCE_MAX, lid);
    max_p = acc_l[0];
    barrier(CLK_LOCAL_MEM_FENCE); // everyone has read the max before acc_l is reused

    float sum_p = 0.0f;
    for (int i = lid; i < length; i += WG_SIZE) {
        const float e = exp(in_g[base + i * inner] - max_p);
        out_g[base + i * inner] = e;
        sum_p += e;
    }
    acc_l[lid] = sum_p;
    tree_combine(acc_l, REDUCE_SUM, lid);
    sum_p = acc_l[0];
    for (int i = lid; i < length; i += WG_SIZE) { // each item rescales the elements it wrote itself
        out_g[base + i * inner] /= sum_p;
    }
}

__kernel void reduce_item(const __global float* restrict in_g, __global float* restrict out_g,
                          const int op, const float divisor, const int kept_count,
                          const int kept_dim0, const int kept_dim1, const int kept_dim2,
                          const int kept_stride0, const int kept_stride1, const int kept_stride2,
                          const int red_dim0, const int red_dim1, const int red_dim2,
                          const int red_stride0, const int red_stride1, const int red_stride2) {
    const int o = get_global_id(0);
    GUARD(o, kept_count);
    const int base = offset3(o, kept_dim0, kept_dim1, kept_dim2, kept_stride0, kept_stride1, kept_stride2);
    float acc_p = reduce_identity(op);
    for (int i0 = 0; i0 < red_dim0; i0++) {
        for (int i1 = 0; i1 < red_dim1; i1++) {
            const int row = base + i0 * red_stride0 + i1 * red_stride1;
            for (int i2 = 0; i2 < red_dim2; i2++) {
                acc_p = reduce_combine(op, acc_p, in_g[row + i2 * red_stride2]);
            }
        }
    }
    out_g[o] = acc_p / divisor;
}

__kernel void reduce_columns(const __global float* restrict in_g, __global float* restrict out_g,
                             const int op, const float divisor, const int rows,
                             const int kept_dim0, const int kept_dim1, const int kept_dim2,
                             const int kept_stride0, const int kept_stride1,
                             const int red_dim0, const int red_dim1, const int red_dim2,
                             const int red_stride0, const int red_stride1, const int red_stride2) {
    const int item = get_global_id(0);
    const int per_row = (kept_dim2 + REDUCE_VECTOR - 1) / REDUCE_VECTOR;
    GUARD(item, rows * per_row);
    const int row = item / per_row; // over kept groups 0 and 1
    const int j0 = min((item - row * per_row) * REDUCE_VECTOR, kept_dim2 - REDUCE_VECTOR);
    const int o = row * kept_dim2 + j0;
    const int base = offset3(o, kept_dim0, kept_dim1, kept_dim2, kept_stride0, kept_stride1, 1);
    float16 acc_p = (float16)(reduce_identity(op));
    for (int i0 = 0; i0 < red_dim0; i0++) {
        for (int i1 = 0; i1 < red_dim1; i1++) {
            const int at = base + i0 * red_stride0 + i1 * red_stride1;
            for (int i2 = 0; i2 < red_dim2; i2++) {
                const float16 v = vload16(0, in_g + at + i2 * red_stride2);
                acc_p = op == REDUCE_MAX ? select(acc_p, v, (v > acc_p) | isnan(v)) : acc_p + v;
            }
        }
    }
    vstore16(acc_p / divisor, 0, out_g + o);
}

__kernel __attribute__((reqd_work_group_size(WG_SIZE, 1, 1)))
void reduce_group(const __global float* restrict in_g, __global float* restrict out_g,
                  const int op, const float divisor, const int red_count, const int splits, const int chunk,
                  const int kept_dim0, const int kept_dim1, const int kept_dim2,
                  const int kept_stride0, const int kept_stride1, const int kept_stride2,
                  const int red_dim0, const int red_dim1, const int red_dim2,
                  const int red_stride0, const int red_stride1, const int red_stride2) {
    __local float acc_l[WG_SIZE];
    const int group = get_group_id(0); // = o * splits + split
    const int lid = get_local_id(0);
    const int o = group / splits;
    const int base = offset3(o, kept_dim0, kept_dim1, kept_dim2, kept_stride0, kept_stride1, kept_stride2);
    const int from = (group % splits) * chunk;
    const int to = min(from + chunk, red_count);
    float acc_p = reduce_identity(op);
    for (int r = from + lid; r < to; r += WG_SIZE) {
        acc_p = reduce_combine(op, acc_p,
                in_g[base + offset3(r, red_dim0, red_dim1, red_dim2, red_stride0, red_stride1, red_stride2)]);
    }
    acc_l[lid] = acc_p;
    tree_combine(acc_l, op, lid);
    if (lid == 0) {
        out_g[group] = acc_l[0] / divisor;
    }
}
