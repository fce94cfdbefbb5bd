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
// Layout: in_g (N,C,H,W), out_g (N,C,OH,OW); element (n,c,h,w) at ((n*C+c)*H+h)*W+w, so plane p = n*C+c
// starts at p*H*W. Window (oy,ox) starts at (oy*SH - PH, ox*SW - PW). The host guarantees (Pool2dParams)
// that every window overlaps the image, so no window is empty.
//
// Parameters read: window geometry as kernel arguments (no build-time parameters; pooling is memory-bound).
// Summation order is row by row, left to right, as in the Java reference, so results match it closely.

__kernel void max_pool2d(__global const float* in_g, __global float* out_g,
                         const int H, const int W, const int OH, const int OW, const int planes,
                         const int KH, const int KW, const int SH, const int SW, const int PH, const int PW) {
    const int row = get_global_id(0); // plane * OH + oy
    if (row >= planes * OH) {
        return;
    }
    const int plane = row / OH;
    const int oy = row - plane * OH;
    const int h0 = oy * SH - PH;
    const int hs = max(h0, 0);
    const int he = min(h0 + KH, H);
    __global const float* plane_g = in_g + (size_t)plane * H * W;
    __global float* out_row = out_g + ((size_t)plane * OH + oy) * OW;
    for (int ox = 0; ox < OW; ox++) {
        const int w0 = ox * SW - PW;
        const int ws = max(w0, 0);
        const int we = min(w0 + KW, W);
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
