// filter.cl -- torchvision.transforms.functional.gaussian_blur: a separable 1-D kernel applied along the width,
// then along the height, with 'reflect' borders (index -1 reads 1, index n reads n - 2; the border pixel is not
// repeated). The radius must be below the image size along each axis (checked by OpShapes.gaussianBlur).
//
// Kernels (one work item per output pixel)
//   blur_rows  tmp[p][y][x] = sum_j weight[j] * in[p][y][reflect(x - radius + j, W)]
//   blur_cols  out[p][y][x] = sum_j weight[j] * tmp[p][reflect(y - radius + j, H)][x]
//
// Layout: dense row-major float32; planes p = the product of all axes but the last two; pixel (p, y, x) at
// (p * H + y) * W + x. weight_g holds the 2 * radius + 1 normalised taps (OpShapes.gaussianKernel).

inline int reflect_index(const int i, const int n) {
    return i < 0 ? -i : (i >= n ? 2 * (n - 1) - i : i);
}

__kernel void blur_rows(const __global float* restrict in_g, const __global float* restrict weight_g,
                        __global float* restrict out_g, const int width, const int radius, const int count) {
    const int i = get_global_id(0);
    GUARD(i, count);
    const int x = i % width;
    const __global float* row_g = in_g + (i - x);
    float acc_p = 0.0f;
    if (x >= radius && x + radius < width) { // interior: no border arithmetic in the loop
        const __global float* window_g = row_g + x - radius;
        for (int j = 0; j <= 2 * radius; j++) {
            acc_p += weight_g[j] * window_g[j];
        }
    } else {
        for (int j = 0; j <= 2 * radius; j++) {
            acc_p += weight_g[j] * row_g[reflect_index(x - radius + j, width)];
        }
    }
    out_g[i] = acc_p;
}

__kernel void blur_cols(const __global float* restrict in_g, const __global float* restrict weight_g,
                        __global float* restrict out_g, const int height, const int width, const int radius,
                        const int count) {
    const int i = get_global_id(0);
    GUARD(i, count);
    const int x = i % width;
    const int row = i / width; // plane * height + y
    const int y = row % height;
    const __global float* column_g = in_g + (row - y) * width + x;
    float acc_p = 0.0f;
    if (y >= radius && y + radius < height) { // interior: no border arithmetic in the loop
        const __global float* window_g = column_g + (y - radius) * width;
        for (int j = 0; j <= 2 * radius; j++) {
            acc_p += weight_g[j] * window_g[j * width];
        }
    } else {
        for (int j = 0; j <= 2 * radius; j++) {
            acc_p += weight_g[j] * column_g[reflect_index(y - radius + j, height) * width];
        }
    }
    out_g[i] = acc_p;
}
