/**
 * The embeddable API of ucag-java: explanations of CNN decisions inside a JVM service, with no Python and no
 * native deep-learning library.
 *
 * <ol>
 *   <li>Pick a device: {@link io.ucag.api.DeviceChoice} ({@code AUTO}: OpenCL if present, else pure Java).</li>
 *   <li>Load a network: {@link io.ucag.api.Network#open} with a {@link io.ucag.api.ModelSource} (an architecture
 *       name and a weight file, or {@link io.ucag.api.ModelSource#defaultModel()}: the Keras ResNet50 ImageNet
 *       weights, fetched once and cached).</li>
 *   <li>Prepare a photo: {@link io.ucag.api.Network#prepare} gives an {@link io.ucag.api.InputImage}
 *       (the network's (3, S, S) input).</li>
 *   <li>Classify ({@link io.ucag.api.Network#classify}: top-k {@link io.ucag.api.Prediction}s with class names),
 *       explain ({@link io.ucag.api.Network#explain} with an {@link io.ucag.explain.Explainer} from
 *       {@link io.ucag.api.Explainers}, optionally wrapped in UCAG) and score the map
 *       ({@link io.ucag.api.Network#evaluate}).</li>
 *   <li>Use the {@link io.ucag.api.Attribution}: the raw map as {@code float[]} or a (1,1,H,W) tensor, or an
 *       overlay {@link java.awt.image.BufferedImage}.</li>
 * </ol>
 *
 * <p>Options are immutable records that check their values ({@link io.ucag.explain.UcagOptions},
 * {@link io.ucag.api.MetricOptions}); bad input is one {@link java.lang.IllegalArgumentException} that says what
 * to change. The library prints nothing and never exits the JVM; it logs through {@link java.lang.System.Logger}.
 * {@link io.ucag.api.Network} is thread-safe (see its Javadoc); inputs, predictions, attributions and scores are
 * immutable values.
 */
package io.ucag.api;
