// resize.cl -- F.interpolate(x, size=(out_h, out_w), mode='bilinear'|'bicubic', align_corners=False) over the
// last two axes.
//
// Kernels
//   resize_taps  one work item per output row, global size (planes * out_h) (a work item per pixel cost PoCL
//                more in per-item overhead and index arithmetic than the interpolation). The source pixels and
//                weights of each output row and column come from host tables (io.ucag.runtime.java.ResizeTaps, shared with the Java backend, which
//                holds PyTorch's exact rule), so this kernel only gathers:
//                  out[p][oy][ox] = sum_j row_weight[oy][j]
//                                   * sum_i col_weight[ox][i] * in[p][row_index[oy][j]][col_index[ox][i]]
//
// Layout: dense row-major float32; planes p = the product of all axes but the last two; pixel (p, y, x) at
// (p * H + y) * W + x. Tables are (out_size, TAPS) row-major; indices are stored as exact floats.

#ifndef TAPS
#define TAPS 2 // source pixels per output pixel and axis (2 bilinear, 4 bicubic)
#endif

__kernel void resize_taps(const __global float* restrict in_g, __global float* restrict out_g,
                          const __global float* restrict row_index_g, const __global float* restrict row_weight_g,
                          const __global float* restrict col_index_g, const __global float* restrict col_weight_g,
                          const int in_h, const int in_w, const int out_h, const int out_w, const int rows) {
    const int row = get_global_id(0); // plane * out_h + oy
    GUARD(row, rows);
    const int plane = row / out_h;
    const int oy = row - plane * out_h;
    const __global float* src_p[TAPS];
    float row_weight_p[TAPS];
    for (int j = 0; j < TAPS; j++) {
        src_p[j] = in_g + ((size_t)plane * in_h + (int) row_index_g[oy * TAPS + j]) * in_w;
        row_weight_p[j] = row_weight_g[oy * TAPS + j];
    }
    __global float* out_row = out_g + (size_t)row * out_w;
    for (int ox = 0; ox < out_w; ox++) {
        int col_p[TAPS];
        float col_weight_p[TAPS];
        for (int t = 0; t < TAPS; t++) {
            col_p[t] = (int) col_index_g[ox * TAPS + t];
            col_weight_p[t] = col_weight_g[ox * TAPS + t];
        }
        float acc_p = 0.0f;
        for (int j = 0; j < TAPS; j++) {
            float line_p = 0.0f; // the width interpolation of source row j first, as the Java backend
            for (int t = 0; t < TAPS; t++) {
                line_p += src_p[j][col_p[t]] * col_weight_p[t];
            }
            acc_p += line_p * row_weight_p[j];
        }
        out_row[ox] = acc_p;
    }
}
