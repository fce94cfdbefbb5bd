package io.ucag.kernels.onnx;

import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** Gemm and MatMul onto {@code matmul}, {@code scale} and {@code add}. */
final class MatrixOps {
    private MatrixOps() {
    }

    /** {@code Y = alpha * op(A) op(B) + beta * C}, C broadcast to (M,N) by {@code add}. */
    static Tensor gemm(NodeContext ctx) {
        ctx.requireOnlyAttributes(Set.of("alpha", "beta", "transA", "transB"));
        Device d = ctx.device();
        float alpha = ctx.floatAttribute("alpha", 1f);
        float beta = ctx.floatAttribute("beta", 1f);
        boolean transA = ctx.intAttribute("transA", 0) != 0;
        boolean transB = ctx.intAttribute("transB", 0) != 0;
        Tensor y = d.matmul(ctx.tensor(0), ctx.tensor(1), transA, transB);
        if (alpha != 1f) {
            y = d.scale(y, alpha);
        }
        if (ctx.has(2)) {
            Tensor c = ctx.tensor(2);
            y = d.add(y, beta == 1f ? c : d.scale(c, beta));
        }
        return y;
    }

    /**
     * NumPy matmul: rank 2 is one {@code matmul}; higher ranks multiply matrix by matrix over the broadcast
     * batch axes, one {@code matmul} per batch element (the operands' matrices are cut out on the host), and
     * {@code concat} the products.
     */
    static Tensor matMul(NodeContext ctx) {
        ctx.requireOnlyAttributes(Set.of());
        int[] a = ctx.dims(0);
        int[] b = ctx.dims(1);
        if (a.length < 2 || b.length < 2) {
            throw new UnsupportedCase("rank-1 MatMul", "operand shapes " + Arrays.toString(a) + " and "
                    + Arrays.toString(b) + ": NumPy's vector promotion is not mapped");
        }
        Device d = ctx.device();
        if (a.length == 2 && b.length == 2) {
            return d.matmul(ctx.tensor(0), ctx.tensor(1), false, false);
        }
        int rank = Math.max(a.length, b.length);
        int[] batch = new int[rank - 2];
        for (int i = 0; i < batch.length; i++) {
            int da = dimFromEnd(a, rank - i);
            int db = dimFromEnd(b, rank - i);
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("MatMul: batch axes of " + Arrays.toString(a) + " and "
                        + Arrays.toString(b) + " do not broadcast");
            }
            batch[i] = Math.max(da, db);
        }
        float[] av = ctx.floats(0);
        float[] bv = ctx.floats(1);
        int m = a[a.length - 2];
        int k = a[a.length - 1];
        int n = b[b.length - 1];
        int batches = Arrays.stream(batch).reduce(1, (x, y) -> x * y);
        List<Tensor> products = new ArrayList<>();
        for (int i = 0; i < batches; i++) {
            Tensor am = d.fromArray(Shape.of(m, k), matrix(av, a, batch, i, m * k));
            Tensor bm = d.fromArray(Shape.of(k, n), matrix(bv, b, batch, i, k * n));
            products.add(d.reshape(d.matmul(am, bm, false, false), Shape.of(1, m, n)));
        }
        int[] outDims = Arrays.copyOf(batch, rank);
        outDims[rank - 2] = m;
        outDims[rank - 1] = n;
        return d.reshape(d.concat(products, 0), Shape.of(outDims));
    }

    /** Dimension {@code fromEnd} counted from the end (1 = last), or 1 where the operand has fewer axes. */
    private static int dimFromEnd(int[] dims, int fromEnd) {
        return fromEnd <= dims.length ? dims[dims.length - fromEnd] : 1;
    }

    /** The matrix of batch element {@code index} (row-major over {@code batch}), broadcasting size-1 axes. */
    private static float[] matrix(float[] values, int[] dims, int[] batch, int index, int size) {
        int offset = 0;
        int stride = size;
        int rest = index;
        for (int i = batch.length - 1; i >= 0; i--) {
            int coordinate = rest % batch[i];
            rest /= batch[i];
            int dim = dimFromEnd(dims, batch.length - i + 2);
            offset += (dim == 1 ? 0 : coordinate) * stride;
            stride *= dim;
        }
        return Arrays.copyOfRange(values, offset, offset + size);
    }
}
