// Test-only kernels for the OpenCL infrastructure tests.
__kernel void affine(__global const float* in_g, __global float* out_g, const float a, const float b,
                     const int count) {
    const int i = get_global_id(0);
    GUARD(i, count);
    out_g[i] = a * in_g[i] + b;
}
