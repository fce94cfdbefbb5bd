// Test-only: a kernel that must fail to build (its build log is checked).
__kernel void broken(__global float* out_g) {
    out_g[0] = undefined_symbol;
}
