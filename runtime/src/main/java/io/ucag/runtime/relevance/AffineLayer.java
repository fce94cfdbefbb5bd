package io.ucag.runtime.relevance;

import io.ucag.runtime.Tensor;

/**
 * One affine layer as a rule sees it, with the parameters the forward pass used (after canonisation, e.g. a
 * BatchNorm folded into its convolution). The tensors belong to the caller.
 *
 * @param name             the layer's module path, e.g. {@code layer1.0.conv1} (for messages and overrides)
 * @param op               convolution or dense
 * @param weight           (O,C,kh,kw) or (M,K)
 * @param bias             (O) or (M); null for none
 * @param nonNegativeInput true when the input is known to be {@code >= 0} (it comes from a ReLU): rules may then skip
 *                         the terms of the negative input part, which are exactly zero
 */
public record AffineLayer(String name, AffineOp op, Tensor weight, Tensor bias, boolean nonNegativeInput) {
}
