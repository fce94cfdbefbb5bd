package io.ucag.kernels.opencl;

import io.ucag.runtime.OpShapes;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.Pool2dParams;

/** Launches the kernels of {@code pooling.cl}: one work item per output element over (OW, OH, N*C), per row for max. */
final class ClPooling {
    private static final String FILE = "pooling.cl";

    private ClPooling() {
    }

    static Tensor maxPool2d(ClDevice d, Tensor x, Pool2dParams p) {
        Shape os = OpShapes.pool2d("maxPool2d", x, p);
        try (Tensor input = d.planar(x)) { // reads padded planes as they are
            Tensor y = d.allocate(os);
            d.kernel(FILE, "max_pool2d").launch(rows(os), null, windowArgs(input, y, p, ClDevice.planeStride(input)));
            return y;
        }
    }

    static Tensor avgPool2d(ClDevice d, Tensor x, Pool2dParams p, boolean countIncludePad) {
        Shape os = OpShapes.pool2d("avgPool2d", x, p);
        Tensor y = d.allocate(os);
        d.kernel(FILE, "avg_pool2d").launch(grid(os), null, windowArgs(x, y, p, countIncludePad ? 1 : 0));
        return y;
    }

    static Tensor adaptiveAvgPool2d(ClDevice d, Tensor x, int outH, int outW) {
        Shape os = OpShapes.adaptiveAvgPool2d(x, outH, outW);
        Tensor y = d.allocate(os);
        Shape xs = x.shape();
        d.kernel(FILE, "adaptive_avg_pool2d").launch(grid(os), null,
                x, y, xs.dim(2), xs.dim(3), outH, outW, planes(os));
        return y;
    }

    /**
     * One work item per row of an (N,C,H,W) tensor, N*C*H in one dimension: PoCL pays per work item and per work
     * group, more than a row of pooling costs, and a 2-D grid whose first axis is a short H makes small groups.
     */
    static long[] rows(Shape s) {
        return new long[] {(long) s.dim(0) * s.dim(1) * s.dim(2)};
    }

    private static long[] grid(Shape out) {
        return new long[] {out.dim(3), out.dim(2), planes(out)};
    }

    private static int planes(Shape out) {
        return out.dim(0) * out.dim(1);
    }

    /** Arguments shared by max_pool2d and avg_pool2d, then {@code extra} (count_include_pad) if not null. */
    private static Object[] windowArgs(Tensor x, Tensor y, Pool2dParams p, Integer extra) {
        Shape xs = x.shape();
        Shape ys = y.shape();
        Object[] args = {x, y, xs.dim(2), xs.dim(3), ys.dim(2), ys.dim(3), planes(ys),
            p.kernelH(), p.kernelW(), p.strideH(), p.strideW(), p.padH(), p.padW(), extra};
        return extra == null ? java.util.Arrays.copyOf(args, args.length - 1) : args;
    }
}
