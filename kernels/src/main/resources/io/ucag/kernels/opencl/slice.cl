// slice.cl -- x.narrow(axis, start, length) as a new tensor.
//
// Kernel:
//   slice_copy: one work item per output element (n = outer * length * inner).
// Layout: dense row-major. With `outer` the product of the dims before the axis and `inner` the product after,
// output element i = o * out_block + r (out_block = length * inner) reads input o * in_block + start * inner + r
// (in_block = dim(axis) * inner): each outer index copies one contiguous block.
//
// No tunable parameters.

__kernel void slice_copy(__global const float* in_g, __global float* out_g,
                         int in_block, int out_block, int offset, int n) {
    const int i = get_global_id(0);
    GUARD(i, n);
    const int o = i / out_block;
    out_g[i] = in_g[o * in_block + offset + i % out_block];
}
