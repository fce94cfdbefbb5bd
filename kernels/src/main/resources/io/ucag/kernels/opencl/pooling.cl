// pooling.cl -- max, average and adaptive average pooling over the last two axes of NCHW tensors, with the
// semantics of PyTorch's F.max_pool2d / F.avg_pool2d / F.adaptive_avg_pool2d (dilation 1).
//
// Kernels (one work item per output element, global size (OW, OH, N*C), except max_pool2d: one work item per
// output row, global size (N*C*OH) -- on PoCL's CPU devices a work item per element cost more in per-item
// overhead than the pooling itself, 3x more on ResNet-50's stem; no local size needed):
//   max_pool2d           max over the window clipped to the image (padding acts as -inf); a NaN anywhere in
//                        the window gives NaN. Uses fmax, so a tie of -0.0 and 0.0 may give either zero
//                        (torch keeps the first).
//   avg_pool2d           sum over the clipped window / divisor: with count_include_pad the divisor is
//                        (min(h0+KH, H+PH) - h0) * (min(w0+KW, W+PW) - w0) (padding counts, the part of a
//                        ceil-mode window past the padding does not), otherwise the number of image pixels.
//   adaptive_avg_pool2d  mean of rows [floor(oy*H/OH), ceil((oy+1)*H/OH)) and the same for columns.
//
// Layout: in_g (N,C,H,W), out_g (N,C,OH,OW); element (n,c,h,w) at ((n*C+c)*H+h)*W+w (max_pool2d: planes of in_g
// start in_plane floats apart, H*W or more where they are padded, ClBuffer.padded), so plane p = n*C+c
// starts at p*H*W. Window (oy,ox) starts at (oy*SH - PH, ox*SW - PW). The host guarantees (Pool2dParams)
// that every window overlaps the image, so no window is empty.
//
// Parameters read: window geometry as kernel arguments (no build-time parameters; pooling is memory-bound).
// Summation order is row by row, left to right, as in the Java reference, so results match it closely.

#define POOL_SEGMENT 16 // max_pool2d: output columns reduced together
#define POOL_SPAN 64    // max_pool2d: the most input columns a segment may span, (POOL_SEGMENT-1)*SW + KW

// max_pool2d reduces a row in segments of POOL_SEGMENT outputs: first each input column of the segment's span
// over the window's rows (whole vectors of 16 columns where the span lies inside the image, the cheap part
// because rows are contiguous), then each output over its KW reduced columns. Windows overlap (3x3 stride 2),
// so every column is reduced once instead of once per window: ResNet-50's stem pool (12 x 64 planes of 161x161)
// 23 -> 13 ms. Segments spanning more than POOL_SPAN columns (15 SW + KW > 64) reduce each window directly.
__kernel void max_pool2d(__global const float* in_g, __global float* out_g,
                         const int H, const int W, const int OH, const int OW, const int planes,
                         const int KH, const int KW, const int SH, const int SW, const int PH, const int PW,
                         const int in_plane) {
    const int row = get_global_id(0); // plane * OH + oy
    if (row >= planes * OH) {
        return;
    }
    const int plane = row / OH;
    const int oy = row - plane * OH;
    const int h0 = oy * SH - PH;
    const int hs = max(h0, 0);
    const int he = min(h0 + KH, H);
    __global const float* plane_g = in_g + (size_t)plane * in_plane;
    __global float* out_row = out_g + ((size_t)plane * OH + oy) * OW;
    float column_max_p[POOL_SPAN];
    int column_nan_p[POOL_SPAN];
    for (int ox0 = 0; ox0 < OW; ox0 += POOL_SEGMENT) {
        const int count = min(POOL_SEGMENT, OW - ox0);
        const int w0 = ox0 * SW - PW;
        const int span = (count - 1) * SW + KW;
        if (span > POOL_SPAN) {
            for (int ox = ox0; ox < ox0 + count; ox++) {
                const int ws = max(ox * SW - PW, 0);
                const int we = min(ox * SW - PW + KW, W);
                float max_p = -INFINITY;
                int nan_p = 0;
                for (int y = hs; y < he; y++) {
                    for (int x = ws; x < we; x++) {
                        const float v = plane_g[y * W + x];
                        max_p = fmax(max_p, v); // fmax skips NaN; nan_p remembers it
                        nan_p |= isnan(v);
                    }
                }
                out_row[ox] = nan_p ? NAN : max_p;
            }
            continue;
        }
        for (int k0 = 0; k0 < span; k0 += 16) {
            if (w0 + k0 >= 0 && w0 + k0 + 16 <= W) {
                float16 max_p = (float16)(-INFINITY);
                int16 nan_p = (int16)(0);
                for (int y = hs; y < he; y++) {
                    const float16 v = vload16(0, plane_g + y * W + w0 + k0);
                    max_p = fmax(max_p, v);
                    nan_p |= isnan(v);
                }
                vstore16(max_p, 0, column_max_p + k0);
                vstore16(nan_p, 0, column_nan_p + k0);
            } else { // 16 columns that reach into the padding or past the end
                for (int k = k0; k < min(k0 + 16, span); k++) {
                    const int x = w0 + k;
                    float max_p = -INFINITY; // a column in the padding
                    int nan_p = 0;
                    if (x >= 0 && x < W) {
                        for (int y = hs; y < he; y++) {
                            const float v = plane_g[y * W + x];
                            max_p = fmax(max_p, v);
                            nan_p |= isnan(v);
                        }
                    }
                    column_max_p[k] = max_p;
                    column_nan_p[k] = nan_p;
                }
            }
        }
        for (int i = 0; i < count; i++) {
            float max_p = -INFINITY;
            int nan_p = 0;
            for (int kx = 0; kx < KW; kx++) {
                max_p = fmax(max_p, column_max_p[i * SW + kx]);
                nan_p |= column_nan_p[i * SW + kx];
            }
            out_row[ox0 + i] = nan_p ? NAN : max_p;
        }
    }
}

__kernel void avg_pool2d(__global const float* in_g, __global float* out_g,
                         const int H, const int W, const int OH, const int OW, const int planes,
                         const int KH, const int KW, const int SH, const int SW, const int PH, const int PW,
                         const int count_include_pad) {
    const int ox = get_global_id(0);
    const int oy = get_global_id(1);
    const int plane = get_global_id(2);
    if (ox >= OW || oy >= OH || plane >= planes) {
        return;
    }
    const int h0 = oy * SH - PH;
    const int w0 = ox * SW - PW;
    const int hs = max(h0, 0);
    const int he = min(h0 + KH, H);
    const int ws = max(w0, 0);
    const int we = min(w0 + KW, W);
    __global const float* plane_g = in_g + (size_t)plane * H * W;
    float sum_p = 0.0f;
    for (int y = hs; y < he; y++) {
        for (int x = ws; x < we; x++) {
            sum_p += plane_g[y * W + x];
        }
    }
    const int divisor = count_include_pad
            ? (min(h0 + KH, H + PH) - h0) * (min(w0 + KW, W + PW) - w0)
            : (he - hs) * (we - ws);
    out_g[((size_t)plane * OH + oy) * OW + ox] = sum_p / (float)divisor;
}

__kernel void adaptive_avg_pool2d(__global const float* in_g, __global float* out_g,
                                  const int H, const int W, const int OH, const int OW, const int planes) {
    const int ox = get_global_id(0);
    const int oy = get_global_id(1);
    const int plane = get_global_id(2);
    if (ox >= OW || oy >= OH || plane >= planes) {
        return;
    }
    const int hs = (int)(((long)oy * H) / OH);
    const int he = (int)(((long)(oy + 1) * H + OH - 1) / OH);
    const int ws = (int)(((long)ox * W) / OW);
    const int we = (int)(((long)(ox + 1) * W + OW - 1) / OW);
    __global const float* plane_g = in_g + (size_t)plane * H * W;
    float sum_p = 0.0f;
    for (int y = hs; y < he; y++) {
        for (int x = ws; x < we; x++) {
            sum_p += plane_g[y * W + x];
        }
    }
    out_g[((size_t)plane * OH + oy) * OW + ox] = sum_p / (float)((he - hs) * (we - ws));
}
