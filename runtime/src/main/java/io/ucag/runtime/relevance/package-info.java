/**
 * Layer-wise relevance propagation rules (Bach et al., PLoS ONE 2015; Montavon et al., "Layer-Wise Relevance
 * Propagation: An Overview", 2019), written once over the {@link io.ucag.runtime.Device} ops so that every device
 * runs every rule with no kernel of its own.
 *
 * <p>Each rule follows the modified-gradient form of zennit's {@code BasicHook}: modified forward terms
 * {@code z_i = f(x_i; W_i, b_i)} of an affine layer {@code f} ({@link io.ucag.runtime.relevance.AffineOp}: a
 * convolution or a dense layer), a stabilised quotient {@code s = R_out / stabilise(z)}
 * ({@link io.ucag.runtime.relevance.Stabilizer}), the transposed op {@code c = f^T(s; W_i)} and the input relevance
 * {@code R_in = sum_i x_i * c_i}. Parameter-free layers (sums, pools) are in
 * {@link io.ucag.runtime.relevance.Redistribution}. The layer walker that applies rules to a network lives with the
 * layer types, in {@code io.ucag.models.relevance}.
 */
package io.ucag.runtime.relevance;
