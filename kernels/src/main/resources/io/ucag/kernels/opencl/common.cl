// common.cl -- prepended to every kernel file of ucag-java (see ClProgramCache).
//
// Layout: every tensor is a dense row-major float32 array; images are NCHW with element (n,c,h,w) at
// ((n*C + c)*H + h)*W + w. Index helpers below spell that formula once.

#define INDEX4(n, c, h, w, C, H, W) ((((n) * (C) + (c)) * (H) + (h)) * (W) + (w))

// Global work items beyond the logical size return early; launches pass global sizes unrounded.
#define GUARD(i, count) if ((i) >= (count)) return

// A convolution's store (conv.cl, conv_tiled.cl): the bits of its `epilogue` argument, applied in this order.
#define EPILOGUE_BIAS 1     // + b[o]
#define EPILOGUE_RESIDUAL 2 // + r at the output's own index (r has y's shape): a residual block's addition
#define EPILOGUE_RELU 4     // max(0, .)
#define EPILOGUE_DIVIDE 8   // r / . instead of + r: an LRP rule's quotient R / z (without RESIDUAL and RELU)
#define EPILOGUE_MULTIPLY 16 // r * . instead of + r: an LRP rule's product x * f^T(s) (likewise)
#define EPILOGUE_ADDEND 32  // + a at the output's own index, last: a residual block's other relevance path
#define EPILOGUE_KEEP 64    // conv.cl only: the output after its bias also stored to k, before the other steps (a
                            // residual block's body, which relevance rules split the block's relevance by)

// PREFETCH(p): asks a CPU's cache for the line holding *p ahead of its use (clang's __builtin_prefetch; OpenCL's
// prefetch() does nothing under PoCL). The host defines CPU_PREFETCH for CPU devices only; elsewhere, and with a
// compiler that lacks the builtin, it is empty.
#if defined(CPU_PREFETCH) && defined(__has_builtin)
#if __has_builtin(__builtin_prefetch)
#define PREFETCH(p) __builtin_prefetch(p)
#endif
#endif
#ifndef PREFETCH
#define PREFETCH(p)
#endif

// One output after its bias through the other EPILOGUE_* steps; r and a point at its operand and addend.
inline float epilogue_tail(float v, int epilogue, __global const float* r, __global const float* a) {
    if (epilogue & EPILOGUE_RESIDUAL) {
        v += *r;
    }
    if (epilogue & EPILOGUE_RELU) {
        v = fmax(v, 0.0f);
    }
    if (epilogue & EPILOGUE_DIVIDE) {
        v = *r / v;
    }
    if (epilogue & EPILOGUE_MULTIPLY) {
        v = *r * v;
    }
    if (epilogue & EPILOGUE_ADDEND) {
        v += *a;
    }
    return v;
}
