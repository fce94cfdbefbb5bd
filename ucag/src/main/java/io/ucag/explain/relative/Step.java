package io.ucag.explain.relative;

import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.Conv2dParams;
import io.ucag.runtime.ops.Pool2dParams;
import java.util.List;

/**
 * What a relevance pass needs to know about one layer of a forward pass: the layer's input and, for weighted layers,
 * the weights it propagates through. A {@link TracedForward} records one step per layer that moves relevance;
 * ReLU and Dropout pass relevance through unchanged and record nothing, a BatchNorm is folded into the convolution
 * in front of it. Tensors belong to the scope the trace was made in.
 */
public sealed interface Step {
    /** The layer's module name (for a convolution with a folded BatchNorm: the convolution's). */
    String name();

    /**
     * A convolution, or a linear layer seen as a 1x1 convolution on a 1x1 map, with the following BatchNorm folded
     * into its weight ({@code weight[o] * gamma[o] / sqrt(var[o] + eps)}); biases are not kept: the relative rules
     * attribute the contributions {@code a_i w_ij}, never the bias.
     *
     * @param input            (N,C,H,W) the layer's input (a linear layer's (N,K) as (N,K,1,1))
     * @param weight           (O,C,kh,kw) BatchNorm folded
     * @param params           stride, padding and dilation (1x1 with no padding for a linear layer)
     * @param inputShape       the input's shape as the network sees it ((N,K) for a linear layer)
     * @param outputShape      the output's shape as the network sees it ((N,O) for a linear layer)
     * @param nonNegativeInput true when the input is known to be >= 0 (it comes from a ReLU, maybe through pooling)
     * @param imageInput       true for the first weighted layer, whose input is the image
     * @param linear           true for an {@code nn.Linear}
     */
    record Weighted(String name, Tensor input, Tensor weight, Conv2dParams params, Shape inputShape,
                    Shape outputShape, boolean nonNegativeInput, boolean imageInput, boolean linear) implements Step {
        /** The output shape as the 4-D convolution sees it. */
        public Shape convOutputShape() {
            return outputShape.rank() == 4 ? outputShape : Shape.of(outputShape.dim(0), outputShape.dim(1), 1, 1);
        }
    }

    /** {@code nn.ReLU}: relevance passes unchanged; a gradient is masked by {@code output > 0}. */
    record Relu(String name, Tensor output) implements Step {
    }

    /** {@code nn.MaxPool2d}; input (N,C,H,W). */
    record MaxPool(String name, Tensor input, Pool2dParams params) implements Step {
    }

    /** {@code nn.AdaptiveAvgPool2d}; input (N,C,H,W). */
    record AdaptiveAvgPool(String name, Tensor input, int outH, int outW) implements Step {
    }

    /** A flatten: relevance takes back the input's shape. */
    record Reshape(String name, Shape inputShape) implements Step {
    }

    /**
     * A residual block {@code relu(body(x) + shortcut(x))}: the relevance of the sum splits between the branches,
     * each branch propagates its share, and the shares add up at x.
     *
     * @param bodyOutput     (N,C,H,W) the body's output
     * @param shortcutOutput (N,C,H,W) the shortcut's output (x itself for an identity shortcut)
     */
    record Residual(String name, List<Step> body, List<Step> shortcut, Tensor bodyOutput, Tensor shortcutOutput)
            implements Step {
        public Residual {
            body = List.copyOf(body);
            shortcut = List.copyOf(shortcut);
        }
    }
}
