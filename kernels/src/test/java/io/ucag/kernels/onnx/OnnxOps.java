package io.ucag.kernels.onnx;

import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.ReduceOp;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** The ONNX operators the runtime implements, each mapped onto {@code Device} ops (output 0 of the node). */
final class OnnxOps {
    private static final Map<String, Function<NodeContext, Tensor>> MAPPINGS = Map.ofEntries(
            Map.entry("Conv", ConvOps::conv),
            Map.entry("ConvTranspose", ConvOps::convTranspose),
            Map.entry("MaxPool", PoolingOps::maxPool),
            Map.entry("AveragePool", PoolingOps::averagePool),
            Map.entry("GlobalAveragePool", PoolingOps::globalAveragePool),
            Map.entry("GlobalMaxPool", PoolingOps::globalMaxPool),
            Map.entry("BatchNormalization", PointwiseOps::batchNormalization),
            Map.entry("Relu", PointwiseOps::relu),
            Map.entry("Exp", PointwiseOps::exp),
            Map.entry("Add", PointwiseOps::add),
            Map.entry("Mul", PointwiseOps::mul),
            Map.entry("Div", PointwiseOps::div),
            Map.entry("Abs", PointwiseOps::abs),
            Map.entry("Sign", PointwiseOps::sign),
            Map.entry("Clip", PointwiseOps::clip),
            Map.entry("Softmax", PointwiseOps::softmax),
            Map.entry("Gemm", MatrixOps::gemm),
            Map.entry("MatMul", MatrixOps::matMul),
            Map.entry("Concat", LayoutOps::concat),
            Map.entry("Pad", LayoutOps::pad),
            Map.entry("ReduceSum", ctx -> ReduceOps.reduce(ctx, ReduceOp.SUM)),
            Map.entry("ReduceMean", ctx -> ReduceOps.reduce(ctx, ReduceOp.MEAN)),
            Map.entry("ReduceMax", ctx -> ReduceOps.reduce(ctx, ReduceOp.MAX)),
            Map.entry("Resize", ResizeOps::resize));

    private OnnxOps() {
    }

    static Set<String> opTypes() {
        return MAPPINGS.keySet();
    }

    /**
     * Output 0 of the node, computed with the context's device; throws {@link UnsupportedCase} where unmapped.
     * Every mapping produces output 0 only, so a node asking for more outputs is refused (after the mapping,
     * whose own reason, such as MaxPool's argmax, is more precise).
     */
    static Tensor run(NodeContext ctx) {
        Tensor y = MAPPINGS.get(ctx.node().opType()).apply(ctx);
        List<String> outputs = ctx.node().outputs();
        if (outputs.stream().skip(1).anyMatch(name -> !name.isEmpty())) {
            throw new UnsupportedCase("extra outputs", ctx.node().opType() + " outputs " + outputs
                    + ": only the first is mapped");
        }
        return y;
    }
}
