/**
 * Relevance propagation over a model's layer tree: {@link io.ucag.models.relevance.RelevancePass} (the walker and
 * canonizers), {@link io.ucag.models.relevance.Composite} / {@link io.ucag.models.relevance.Composites} (which
 * rule on which layer), {@link io.ucag.models.relevance.Seed} (the start at the logits),
 * {@link io.ucag.models.relevance.Relevance} (input relevance, logits and relevance at named layers) and
 * {@link io.ucag.models.relevance.LayerGradients} (plain gradients at named layers).
 *
 * <p>Extending: a new rule for affine layers implements {@link io.ucag.runtime.relevance.Rule} and is placed with
 * {@link io.ucag.models.relevance.Composite#withRule} (per layer name) or a new composite; a rule receives the
 * layer's canonised parameters, its input activation and the relevance at its output, and must be linear in the
 * latter for seeds to combine (SGLRP relies on it).
 *
 * <pre>{@code
 * Composite c = Composites.create("epsilon-gamma-box", model.spec().preprocessing())
 *         .withRule("fc", new Epsilon(0.1f));
 * try (Relevance r = RelevancePass.run(model, images, Seed.targetLogit(targets), c, List.of("layer4"))) {
 *     Tensor pixels = r.input();        // (N,3,H,W)
 *     Tensor atLayer4 = r.at("layer4"); // (N,2048,7,7)
 * }
 * }</pre>
 */
package io.ucag.models.relevance;
