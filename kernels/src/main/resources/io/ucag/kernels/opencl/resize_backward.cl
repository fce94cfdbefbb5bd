// resize_backward.cl -- gradients of resize (bilinear, bicubic) and gaussian blur: the transpose of a
// separable resampling, applied as two gathers (no atomics, deterministic).
//
// Kernels:
//   adjointAlongWidth  (global: w, rows)          grad_g (rows, outW)  -> across_g (rows, w)
//   adjointAlongHeight (global: w, h, planes)     across_g (planes, outH, w) -> out_g (planes, h, w)
// Layout: row-major; a (planes, H, W) view of any (..., H, W) tensor, element (p, y, x) at (p*H + y)*W + x.
//
// Each kernel reads the transposed tap table of its axis (io.ucag.runtime.java.AdjointTaps#packed), one float
// array laid out as [start (n + 1) | output (entries) | weight (entries)], n the pixels of the axis on the
// gradient's side: pixel s receives sum over e in [start[s], start[s+1]) of weight[e] * grad[output[e]].
// Indices are stored as floats (exact below 2^24). Entries of one pixel are sorted by output pixel; a tap
// that the forward clamped or reflected onto the border is its own entry there, as in the forward.
// No tunable parameters: the driver picks the work-group size; consecutive work items read consecutive x.

// Gradient along the width: across[r, x] = sum_e weight[e] * grad[r, output[e]].
__kernel void adjointAlongWidth(const int rows, const int outW, const int w, const int entries,
                                __global const float* table_g, __global const float* grad_g,
                                __global float* across_g) {
    const int x = get_global_id(0);
    const int r = get_global_id(1);
    GUARD(x, w);
    GUARD(r, rows);
    __global const float* output_g = table_g + w + 1;
    __global const float* weight_g = output_g + entries;
    __global const float* row_g = grad_g + (long) r * outW;
    const int last = (int) table_g[x + 1];
    float acc_p = 0.0f;
    for (int e = (int) table_g[x]; e < last; e++) {
        acc_p += weight_g[e] * row_g[(int) output_g[e]];
    }
    across_g[(long) r * w + x] = acc_p;
}

// Gradient along the height: out[p, y, x] = sum_e weight[e] * across[p, output[e], x].
__kernel void adjointAlongHeight(const int planes, const int outH, const int h, const int w, const int entries,
                                 __global const float* table_g, __global const float* across_g,
                                 __global float* out_g) {
    const int x = get_global_id(0);
    const int y = get_global_id(1);
    const int p = get_global_id(2);
    GUARD(x, w);
    GUARD(y, h);
    GUARD(p, planes);
    __global const float* output_g = table_g + h + 1;
    __global const float* weight_g = output_g + entries;
    __global const float* plane_g = across_g + (long) p * outH * w + x;
    const int last = (int) table_g[y + 1];
    float acc_p = 0.0f;
    for (int e = (int) table_g[y]; e < last; e++) {
        acc_p += weight_g[e] * plane_g[(long) ((int) output_g[e]) * w];
    }
    out_g[((long) p * h + y) * w + x] = acc_p;
}
