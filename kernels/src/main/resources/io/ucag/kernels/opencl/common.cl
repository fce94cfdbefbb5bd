// common.cl -- prepended to every kernel file of ucag-java (see ClProgramCache).
//
// Layout: every tensor is a dense row-major float32 array; images are NCHW with element (n,c,h,w) at
// ((n*C + c)*H + h)*W + w. Index helpers below spell that formula once.

#define INDEX4(n, c, h, w, C, H, W) ((((n) * (C) + (c)) * (H) + (h)) * (W) + (w))

// Global work items beyond the logical size return early; launches pass global sizes unrounded.
#define GUARD(i, count) if ((i) >= (count)) return
