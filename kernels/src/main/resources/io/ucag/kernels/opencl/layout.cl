// layout.cl -- copies that change the layout: concatenation, a window of the last two axes, constant padding.
//
// Kernels (one work item per element written, index i over the destination unless noted)
//   concat_copy  copies one input into its slot of the output. Seen as (outer, dim(axis) * inner), input
//                element o * block + r goes to out[o * out_block + start + r]; one launch per input over
//                (r, o): no division per element, and work items next in r copy neighbouring floats (the LRP
//                stem's [x+, x-] stack, 2 x 3.1 M floats: 3.75 ms a pass with a flat index and its div / mod).
//   crop         out (planes, out_h, out_w) = in (planes, in_h, in_w) rows [top, top+out_h), cols
//                [left, left+out_w); planes = the product of all axes but the last two.
//   pad_constant out (planes, out_h, out_w) = in placed at (top, left), `value` elsewhere
//                (F.pad(x, (left, right, top, bottom), value=value)).
//   compact_planes out (planes, plane) = in's planes of `plane` values, which start `stride` floats apart (a
//                convolution's output with planes padded to whole vectors, ClBuffer.padded). One work item per
//                plane.
//
// Layout: dense row-major float32; plane p, row y, column x is at (p * H + y) * W + x.

__kernel void concat_copy(const __global float* restrict in_g, __global float* restrict out_g,
                          const int block, const int out_block, const int start) {
    const int r = get_global_id(0);
    const size_t o = get_global_id(1);
    GUARD(r, block);
    out_g[o * out_block + start + r] = in_g[o * block + r];
}

__kernel void crop(const __global float* restrict in_g, __global float* restrict out_g,
                   const int in_h, const int in_w, const int top, const int left,
                   const int out_h, const int out_w, const int count) {
    const int i = get_global_id(0);
    GUARD(i, count);
    const int x = i % out_w;
    const int row = i / out_w; // plane * out_h + y
    const int y = row % out_h;
    const int plane = row / out_h;
    out_g[i] = in_g[(plane * in_h + top + y) * in_w + left + x];
}

__kernel void pad_constant(const __global float* restrict in_g, __global float* restrict out_g,
                           const int in_h, const int in_w, const int top, const int left,
                           const int out_h, const int out_w, const float value, const int count) {
    const int i = get_global_id(0);
    GUARD(i, count);
    const int x = i % out_w - left;
    const int row = i / out_w;
    const int y = row % out_h - top;
    const int plane = row / out_h;
    const bool inside = x >= 0 && x < in_w && y >= 0 && y < in_h;
    out_g[i] = inside ? in_g[(plane * in_h + y) * in_w + x] : value;
}

__kernel void compact_planes(const __global float* restrict in_g, __global float* restrict out_g, const int planes,
                             const int plane, const int stride) {
    const int p = get_global_id(0);
    GUARD(p, planes);
    const __global float* in_p = in_g + (size_t)p * stride;
    __global float* out_p = out_g + (size_t)p * plane;
    for (int i = 0; i < plane; i++) {
        out_p[i] = in_p[i];
    }
}
