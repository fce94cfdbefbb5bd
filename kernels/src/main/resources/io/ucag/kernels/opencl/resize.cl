// resize.cl -- F.interpolate(x, size=(out_h, out_w), mode='bilinear'|'bicubic', align_corners=False) over the
// last two axes.
//
// The source pixels and weights of each output row and column come from host tables
// (io.ucag.runtime.java.ResizeTaps, shared with the Java backend, which holds PyTorch's exact rule):
//   out[p][oy][ox] = sum_j row_weight[oy][j] * line[p][row_index[oy][j]][ox],
//   line[p][y][ox] = sum_i col_weight[ox][i] * in[p][y][col_index[ox][i]]
// i.e. the width interpolation of each source row first, as the Java backend and ATen do. It runs in two passes
// (the same sums in the same order as one gather of TAPS x TAPS pixels per output, which cost bicubic 124 -> 322
// of 36 planes 29 ms; the passes about a fifth of that):
//   resize_cols  line (planes, in_h, out_w) from in: one work item per source row, TAPS gathered loads per
//                output. Global size (planes * in_h).
//   resize_rows  out from line: one work item per output row; its TAPS source rows are consecutive floats, so
//                it runs on vectors of RESIZE_VECTOR columns (then the remainder one by one). Global size
//                (planes * out_h).
//
// Layout: dense row-major float32; planes p = the product of all axes but the last two; pixel (p, y, x) at
// (p * H + y) * W + x. Tables are (out_size, TAPS) row-major; indices are stored as exact floats.

#ifndef TAPS
#define TAPS 2 // source pixels per output pixel and axis (2 bilinear, 4 bicubic)
#endif
#define RESIZE_VECTOR 16 // resize_rows: output columns per vector operation

__kernel void resize_cols(const __global float* restrict in_g, __global float* restrict line_g,
                          const __global float* restrict col_index_g, const __global float* restrict col_weight_g,
                          const int in_w, const int out_w, const int rows) {
    const int row = get_global_id(0); // plane * in_h + y
    GUARD(row, rows);
    const __global float* src_p = in_g + (size_t)row * in_w;
    __global float* line_row = line_g + (size_t)row * out_w;
    for (int ox = 0; ox < out_w; ox++) {
        float line_p = 0.0f;
        for (int t = 0; t < TAPS; t++) {
            line_p += src_p[(int) col_index_g[ox * TAPS + t]] * col_weight_g[ox * TAPS + t];
        }
        line_row[ox] = line_p;
    }
}

__kernel void resize_rows(const __global float* restrict line_g, __global float* restrict out_g,
                          const __global float* restrict row_index_g, const __global float* restrict row_weight_g,
                          const int in_h, const int out_h, const int out_w, const int rows) {
    const int row = get_global_id(0); // plane * out_h + oy
    GUARD(row, rows);
    const int plane = row / out_h;
    const int oy = row - plane * out_h;
    const __global float* src_p[TAPS];
    float weight_p[TAPS];
    for (int j = 0; j < TAPS; j++) {
        src_p[j] = line_g + ((size_t)plane * in_h + (int) row_index_g[oy * TAPS + j]) * out_w;
        weight_p[j] = row_weight_g[oy * TAPS + j];
    }
    __global float* out_row = out_g + (size_t)row * out_w;
    const int vectors = out_w / RESIZE_VECTOR;
    for (int v = 0; v < vectors; v++) {
        float16 acc_p = (float16)(0.0f);
        for (int j = 0; j < TAPS; j++) {
            acc_p += vload16(v, src_p[j]) * weight_p[j];
        }
        vstore16(acc_p, v, out_row);
    }
    for (int ox = vectors * RESIZE_VECTOR; ox < out_w; ox++) {
        float acc_p = 0.0f;
        for (int j = 0; j < TAPS; j++) {
            acc_p += src_p[j][ox] * weight_p[j];
        }
        out_row[ox] = acc_p;
    }
}
