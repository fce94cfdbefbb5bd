// pooling_backward.cl -- gradients of max, average and adaptive average pooling (PyTorch's CPU semantics).
//
// Kernels (no local size; 3-D grids (W, H, N*C) over the named tensor's pixels, or 1-D grids (N*C*rows) for those
// over rows: a work item per pixel cost more in PoCL's per-item overhead than these kernels' work, and a 2-D grid
// whose first axis is a short H makes small work groups):
//   max_pool2d_arg_max           : over OUTPUT rows: the forward's arg-max of each window (offset h*W+w in
//                                  its plane), found exactly as PyTorch's forward finds it; with column stride
//                                  1 or 2, ARG_MAX_SEGMENT windows at a time on vectors where their columns lie
//                                  inside the plane (the same scan, lane by lane: ResNet-50's stem pool at batch
//                                  2, 161x161: the whole backward 18.7 -> 9.4 ms).
//   max_pool2d_backward          : over INPUT rows: sums, for each pixel, the gradient of every window whose
//                                  arg-max is this pixel (a row is one work item's, so its adds race with nothing).
//   These two read the forward input's and the gradient's planes `in_plane` and `grad_plane` floats apart (padded
//   planes, ClBuffer.padded: no compact copy of a convolution's output first).
//   max_pool2d_backward_disjoint : over OUTPUT pixels; precondition SH >= KH and SW >= KW (windows never
//                                  overlap): each window writes its gradient to its arg-max pixel of a
//                                  zero-filled result. One pass instead of two.
//   avg_pool2d_backward          : over INPUT rows: sums gradient / divisor over the windows containing each
//                                  pixel.
//   adaptive_avg_pool2d_backward : over INPUT rows: sums gradient / rows / cols over the bins containing each
//                                  pixel.
// No atomics, deterministic: every pixel adds its windows in row-major output order, the order in which the Java
// reference scatters, so both backends add in the same order.
//
// Layout: NCHW, input pixel (n,c,h,w) at ((n*C+c)*H+h)*W+w = (plane*H+h)*W+w; gradient (plane*OH+oh)*OW+ow.
// Window (oh,ow) covers padded rows [oh*SH-PH, oh*SH-PH+KH) and the like for columns; padding holds no pixel.
// Windows containing input row h: oh in [ceil((h+PH-KH+1)/SH), floor((h+PH)/SH)] clipped to [0, OH).
// Adaptive bin i covers rows [floor(i*H/OH), ceil((i+1)*H/OH)); those containing row h are
// i in [floor(h*OH/H), ceil((h+1)*OH/H) - 1].
//
// No tunable parameters (memory-bound; window geometry comes as kernel arguments).

// First window index along one axis whose window [o*stride-P, o*stride-P+size) contains padded coordinate hp = h+P.
inline int first_window(int hp, int size, int stride) {
    return hp < size ? 0 : (hp - size) / stride + 1;
}

// The offset within its plane of the pixel PyTorch's forward selects in window rows [h0,h1) x cols [w0,w1):
// a pixel replaces the maximum when greater or NaN (ties: first; NaN: last NaN; all -inf: first pixel).
inline int window_arg_max(__global const float* plane_g, int width, int h0, int h1, int w0, int w1) {
    int best = h0 * width + w0;
    float max_value = -INFINITY;
    for (int h = h0; h < h1; h++) {
        for (int w = w0; w < w1; w++) {
            const float v = plane_g[h * width + w];
            const bool replaces = v > max_value || isnan(v); // branch-free selects vectorise across work items
            max_value = replaces ? v : max_value;
            best = replaces ? h * width + w : best;
        }
    }
    return best;
}

#define ARG_MAX_SEGMENT 16 // max_pool2d_arg_max: windows of one row scanned together on vectors

// Pixels at columns x0, x0 + SW, ..., x0 + 15*SW of a row, for SW 1 or 2. With SW 2 the two loads end at
// x0 + 30 (the second starts at x0 + 15), not past the last pixel read.
inline float16 strided_columns(__global const float* row_g, int x0, int SW) {
    if (SW == 1) {
        return vload16(0, row_g + x0);
    }
    const float16 a = vload16(0, row_g + x0);
    const float16 b = vload16(0, row_g + x0 + 15);
    return __builtin_shufflevector(a, b, 0, 2, 4, 6, 8, 10, 12, 14, 17, 19, 21, 23, 25, 27, 29, 31);
}

__kernel void max_pool2d_arg_max(__global const float* in_g, // (N,C,H,W) forward input
                                 __global int* arg_max_g,    // (N,C,OH,OW) out: offset h*W+w in the plane
                                 int planes, int H, int W, int OH, int OW,
                                 int KH, int KW, int SH, int SW, int PH, int PW, int in_plane) {
    const int row = get_global_id(0); // plane * OH + oh
    if (row >= planes * OH) {
        return;
    }
    const int plane = row / OH;
    const int oh = row - plane * OH;
    const int h0 = max(oh * SH - PH, 0);
    const int h1 = min(oh * SH - PH + KH, H);
    __global const float* plane_g = in_g + (size_t)plane * in_plane;
    const int16 lane = (int16)(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    int ow = 0;
    while (ow < OW) {
        const int x0 = ow * SW - PW; // the first window's first column
        if ((SW == 1 || SW == 2) && ow + ARG_MAX_SEGMENT <= OW && x0 >= 0
                && x0 + (ARG_MAX_SEGMENT - 1) * SW + KW <= W) {
            // the scan of window_arg_max, one window per lane: rows h0.., then columns x0 + lane*SW + kx
            float16 max_p = (float16)(-INFINITY);
            int16 best_p = (int16)(h0 * W + x0) + lane * SW;
            for (int h = h0; h < h1; h++) {
                for (int kx = 0; kx < KW; kx++) {
                    const float16 v = strided_columns(plane_g + h * W, x0 + kx, SW);
                    const int16 replaces = (v > max_p) | isnan(v);
                    max_p = select(max_p, v, replaces);
                    best_p = select(best_p, (int16)(h * W + x0 + kx) + lane * SW, replaces);
                }
            }
            vstore16(best_p, 0, arg_max_g + row * OW + ow);
            ow += ARG_MAX_SEGMENT;
        } else {
            const int w0 = max(x0, 0);
            const int w1 = min(x0 + KW, W);
            arg_max_g[row * OW + ow] = window_arg_max(plane_g, W, h0, h1, w0, w1);
            ow++;
        }
    }
}

__kernel void max_pool2d_backward(__global const float* grad_out_g, // (N,C,OH,OW)
                                  __global const int* arg_max_g,    // (N,C,OH,OW) from max_pool2d_arg_max
                                  __global float* grad_in_g,        // (N,C,H,W)
                                  int planes, int H, int W, int OH, int OW,
                                  int KH, int KW, int SH, int SW, int PH, int PW, int grad_plane) {
    const int row = get_global_id(0); // plane * H + h
    if (row >= planes * H) {
        return;
    }
    const int plane = row / H;
    const int h = row - plane * H;
    __global const float* g_g = grad_out_g + (size_t)plane * grad_plane;
    __global const int* arg_g = arg_max_g + plane * OH * OW;
    __global float* row_g = grad_in_g + row * W;
    for (int w = 0; w < W; w++) {
        row_g[w] = 0.0f;
    }
    // the windows whose rows contain h, in row-major order; each adds its gradient to its arg-max if that lies in
    // row h, so every pixel sums its windows in the same order as a gather would (and as the Java reference)
    const int first = h * W;
    const int oh_end = min((h + PH) / SH + 1, OH);
    for (int oh = first_window(h + PH, KH, SH); oh < oh_end; oh++) {
        for (int ow = 0; ow < OW; ow++) {
            const int at = arg_g[oh * OW + ow] - first;
            if (at >= 0 && at < W) {
                row_g[at] += g_g[oh * OW + ow];
            }
        }
    }
}

// Precondition SH >= KH and SW >= KW (windows never overlap, e.g. VGG's 2x2 stride 2): each window writes its
// gradient straight to its arg-max pixel, no pixel is written twice; grad_in_g must be zero-filled before.
__kernel void max_pool2d_backward_disjoint(__global const float* grad_out_g, // (N,C,OH,OW)
                                           __global const float* in_g,       // (N,C,H,W) forward input
                                           __global float* grad_in_g,        // (N,C,H,W), zeros on entry
                                           int planes, int H, int W, int OH, int OW,
                                           int KH, int KW, int SH, int SW, int PH, int PW) {
    const int ow = get_global_id(0);
    const int oh = get_global_id(1);
    const int plane = get_global_id(2);
    if (ow >= OW || oh >= OH || plane >= planes) {
        return;
    }
    const int h0 = max(oh * SH - PH, 0);
    const int h1 = min(oh * SH - PH + KH, H);
    const int w0 = max(ow * SW - PW, 0);
    const int w1 = min(ow * SW - PW + KW, W);
    const int arg_max = window_arg_max(in_g + plane * H * W, W, h0, h1, w0, w1);
    grad_in_g[plane * H * W + arg_max] = grad_out_g[(plane * OH + oh) * OW + ow];
}

// count_include_pad: 1 to count the padded input (up to H+PH, W+PW) in the divisor, 0 to count input pixels only.
__kernel void avg_pool2d_backward(__global const float* grad_out_g, // (N,C,OH,OW)
                                  __global float* grad_in_g,        // (N,C,H,W)
                                  int planes, int H, int W, int OH, int OW,
                                  int KH, int KW, int SH, int SW, int PH, int PW, int count_include_pad) {
    const int row = get_global_id(0); // plane * H + h
    if (row >= planes * H) {
        return;
    }
    const int plane = row / H;
    const int h = row - plane * H;
    __global const float* g_g = grad_out_g + plane * OH * OW;
    const int oh_begin = first_window(h + PH, KH, SH);
    const int oh_end = min((h + PH) / SH + 1, OH);
    for (int w = 0; w < W; w++) {
        const int ow_end = min((w + PW) / SW + 1, OW);
        float acc = 0.0f;
        for (int oh = oh_begin; oh < oh_end; oh++) {
            const int h_start = oh * SH - PH;
            const int h_end = min(h_start + KH, H + PH);
            const int rows = count_include_pad ? h_end - h_start : min(h_end, H) - max(h_start, 0);
            for (int ow = first_window(w + PW, KW, SW); ow < ow_end; ow++) {
                const int w_start = ow * SW - PW;
                const int w_end = min(w_start + KW, W + PW);
                const int cols = count_include_pad ? w_end - w_start : min(w_end, W) - max(w_start, 0);
                acc += g_g[oh * OW + ow] / (float) (rows * cols);
            }
        }
        grad_in_g[row * W + w] = acc;
    }
}

inline int bin_start(int i, int in, int out) {
    return (int) ((long) i * in / out);
}

inline int bin_end(int i, int in, int out) {
    return (int) (((long) (i + 1) * in + out - 1) / out);
}

__kernel void adaptive_avg_pool2d_backward(__global const float* grad_out_g, // (N,C,OH,OW)
                                           __global float* grad_in_g,        // (N,C,H,W)
                                           int planes, int H, int W, int OH, int OW) {
    const int row = get_global_id(0); // plane * H + h
    if (row >= planes * H) {
        return;
    }
    const int plane = row / H;
    const int h = row - plane * H;
    __global const float* g_g = grad_out_g + plane * OH * OW;
    __global float* row_g = grad_in_g + row * W;
    if (OH == 1 && OW == 1) { // global average pooling: the loop below would give every pixel this value
        const float share = g_g[0] / (float) H / (float) W;
        for (int w = 0; w < W; w++) {
            row_g[w] = share;
        }
        return;
    }
    const int oh_end = bin_end(h, OH, H); // ceil((h+1)*OH/H): one past the last bin containing row h
    for (int w = 0; w < W; w++) {
        const int ow_end = bin_end(w, OW, W);
        float acc = 0.0f;
        for (int oh = bin_start(h, OH, H); oh < oh_end; oh++) {
            const int rows = bin_end(oh, H, OH) - bin_start(oh, H, OH);
            for (int ow = bin_start(w, OW, W); ow < ow_end; ow++) {
                const int cols = bin_end(ow, W, OW) - bin_start(ow, W, OW);
                acc += g_g[oh * OW + ow] / (float) rows / (float) cols;
            }
        }
        row_g[w] = acc;
    }
}
