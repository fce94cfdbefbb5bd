package io.ucag.weights;

/**
 * Pure layout transposes between frameworks' weight conventions (each returns a new dense tensor).
 * PyTorch, and this project's runtime, store convolution weights OIHW {@code (out,in,kh,kw)} and linear
 * weights {@code (out,in)}; TensorFlow/Keras store HWIO {@code [kh,kw,in,out]} and {@code [in,out]}.
 */
public final class Layouts {
    private Layouts() {
    }

    /** A Keras/TF convolution kernel [kh,kw,in,out] as PyTorch's (out,in,kh,kw). */
    public static NamedTensor hwioToOihw(NamedTensor kernel) {
        requireRank(kernel, 4, "hwioToOihw", "[kh,kw,in,out]");
        return permute(kernel, 3, 2, 0, 1);
    }

    /** A Keras/TF dense kernel [in,out] as PyTorch's linear weight (out,in). */
    public static NamedTensor denseInOutToOutIn(NamedTensor kernel) {
        requireRank(kernel, 2, "denseInOutToOutIn", "[in,out]");
        return permute(kernel, 1, 0);
    }

    /**
     * {@code torch.permute}: result dimension {@code k} is input dimension {@code axes[k]}, materialised
     * row-major. The name and source dtype are kept.
     */
    public static NamedTensor permute(NamedTensor t, int... axes) {
        int rank = t.rank();
        int[] in = t.shape();
        if (axes.length != rank) {
            throw new IllegalArgumentException("permute of tensor '" + t.name() + "' " + NamedTensor.formatShape(in)
                    + ": " + axes.length + " axes given for rank " + rank);
        }
        boolean[] seen = new boolean[rank];
        for (int a : axes) {
            if (a < 0 || a >= rank || seen[a]) {
                throw new IllegalArgumentException("permute of tensor '" + t.name() + "': axes "
                        + java.util.Arrays.toString(axes) + " are not a permutation of 0.." + (rank - 1));
            }
            seen[a] = true;
        }
        long[] inStrides = new long[rank];
        long s = 1;
        for (int i = rank - 1; i >= 0; i--) {
            inStrides[i] = s;
            s *= in[i];
        }
        int[] outShape = new int[rank];
        long[] stepOfOutAxis = new long[rank];
        for (int k = 0; k < rank; k++) {
            outShape[k] = in[axes[k]];
            stepOfOutAxis[k] = inStrides[axes[k]];
        }
        float[] src = t.data();
        float[] out = new float[src.length];
        int[] index = new int[rank];
        long from = 0;
        for (int o = 0; o < out.length; o++) {
            out[o] = src[(int) from];
            for (int axis = rank - 1; axis >= 0; axis--) {
                index[axis]++;
                from += stepOfOutAxis[axis];
                if (index[axis] < outShape[axis]) {
                    break;
                }
                from -= (long) outShape[axis] * stepOfOutAxis[axis];
                index[axis] = 0;
            }
        }
        return new NamedTensor(t.name(), outShape, out, t.storedAs());
    }

    private static void requireRank(NamedTensor t, int rank, String op, String layout) {
        if (t.rank() != rank) {
            throw new IllegalArgumentException(op + ": tensor '" + t.name() + "' has shape "
                    + NamedTensor.formatShape(t.shape()) + ", expected rank " + rank + " " + layout);
        }
    }
}
