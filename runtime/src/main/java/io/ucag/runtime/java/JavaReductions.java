package io.ucag.runtime.java;

import io.ucag.runtime.OpShapes;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.ReduceOp;

/**
 * Softmax and axis reductions of the Java backend ({@code torch.softmax}, {@code torch.sum}, {@code torch.mean},
 * {@code torch.amax}). Sums accumulate in double, so this is the more accurate side in backend comparisons.
 * MAX propagates NaN as PyTorch does.
 */
final class JavaReductions {
    private JavaReductions() {
    }

    /** Along {@code axis}: {@code exp(x - max) / sum(exp(x - max))}. A line of all -inf gives NaN, as in PyTorch. */
    static Tensor softmax(JavaDevice d, Tensor x, int axis) {
        int a = OpShapes.softmaxAxis(x, axis);
        Shape s = x.shape();
        int length = s.dim(a);
        int inner = s.size(a + 1, s.rank());
        int lines = s.size(0, a) * inner;
        float[] in = d.data(x);
        Tensor out = d.allocate(s);
        float[] o = d.data(out);
        d.loop().forRange(lines, 3L * length, (from, to) -> {
            for (int line = from; line < to; line++) {
                int base = (line / inner) * length * inner + line % inner;
                float max = Float.NEGATIVE_INFINITY;
                for (int i = 0, p = base; i < length; i++, p += inner) {
                    max = Math.max(max, in[p]); // Math.max propagates NaN
                }
                double sum = 0;
                for (int i = 0, p = base; i < length; i++, p += inner) {
                    double e = Math.exp((double) in[p] - max);
                    o[p] = (float) e;
                    sum += e;
                }
                double inv = 1.0 / sum;
                for (int i = 0, p = base; i < length; i++, p += inner) {
                    o[p] = (float) (o[p] * inv);
                }
            }
        });
        return out;
    }

    static Tensor reduce(JavaDevice d, Tensor x, ReduceOp op, int[] axes, boolean keepDims) {
        int[] sorted = OpShapes.reduceAxes(x, axes);
        Shape outShape = OpShapes.reduce(x, sorted, keepDims);
        ReductionGeometry g = ReductionGeometry.of(x.shape(), sorted);
        float[] in = d.data(x);
        Tensor out = d.allocate(outShape);
        float[] o = d.data(out);
        int count = g.reducedCount();
        d.loop().forRange(g.keptCount(), count, (from, to) -> {
            for (int k = from; k < to; k++) {
                int base = g.keptOffset(k);
                o[k] = switch (op) {
                    case SUM -> (float) sum(in, base, g);
                    case MEAN -> (float) (sum(in, base, g) / count);
                    case MAX -> max(in, base, g);
                };
            }
        });
        return out;
    }

    private static double sum(float[] in, int base, ReductionGeometry g) {
        double acc = 0;
        int n = g.innerReducedSize();
        int stride = g.innerReducedStride();
        for (int r = 0, outerCount = g.outerReducedCount(); r < outerCount; r++) {
            int p = base + g.outerReducedOffset(r);
            for (int i = 0; i < n; i++, p += stride) {
                acc += in[p];
            }
        }
        return acc;
    }

    private static float max(float[] in, int base, ReductionGeometry g) {
        float m = Float.NEGATIVE_INFINITY;
        int n = g.innerReducedSize();
        int stride = g.innerReducedStride();
        for (int r = 0, outerCount = g.outerReducedCount(); r < outerCount; r++) {
            int p = base + g.outerReducedOffset(r);
            for (int i = 0; i < n; i++, p += stride) {
                m = Math.max(m, in[p]); // NaN wins, as torch.amax
            }
        }
        return m;
    }
}
