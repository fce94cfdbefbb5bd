package io.ucag.models;

/** Tensor layout conversions between frameworks, on row-major float arrays. */
public final class Layouts {
    private Layouts() {
    }

    /** TensorFlow's convolution kernel [kh,kw,in,out] to PyTorch's [out,in,kh,kw]. */
    public static float[] hwioToOihw(float[] hwio, int kh, int kw, int in, int out) {
        float[] oihw = new float[hwio.length];
        for (int y = 0; y < kh; y++) {
            for (int x = 0; x < kw; x++) {
                for (int i = 0; i < in; i++) {
                    int src = ((y * kw + x) * in + i) * out;
                    for (int o = 0; o < out; o++) {
                        oihw[((o * in + i) * kh + y) * kw + x] = hwio[src + o];
                    }
                }
            }
        }
        return oihw;
    }

    /** A row-major (rows, cols) matrix transposed to (cols, rows). */
    public static float[] transpose(float[] m, int rows, int cols) {
        float[] t = new float[m.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = m[r * cols + c];
            }
        }
        return t;
    }
}
