package io.ucag.api;

import io.ucag.explain.Explainer;
import io.ucag.explain.Methods;
import io.ucag.explain.Ucag;
import io.ucag.explain.UcagOptions;
import java.util.List;

/**
 * Attribution methods by registry name, and UCAG around any of them. A method can also be made from its class
 * with its own parameters, e.g. {@code new GradCam("layer3")} or {@code new SmoothGrad(...)} from
 * {@link io.ucag.explain}; every {@link Explainer} works with {@link Network#explain}. Explainers keep no state
 * between calls and may be shared by threads.
 */
public final class Explainers {
    private Explainers() {
    }

    /** The registry names: gradcam, gradcam++, xgradcam, layercam, hirescam, scorecam, fullgrad, saliency, ... */
    public static List<String> names() {
        return Methods.NAMES;
    }

    /** The method called {@code name} with its default parameters, on the network's default target layer. */
    public static Explainer byName(String name) {
        return Methods.create(name, null);
    }

    /**
     * The method called {@code name} on the activations of {@code layer} (a module path such as {@code layer4}
     * or {@code features.29}; ignored by methods that use no target layer); null means the network's default.
     */
    public static Explainer byName(String name, String layer) {
        return Methods.create(name, layer);
    }

    /**
     * {@code base} wrapped in UCAG (Hong et al., AAAI 2023, Algorithm 1): n x n patches, each upsampled by alpha,
     * explained, weighted by exp(softmax probability of the target on the patch) and folded back.
     *
     * @param options e.g. {@link UcagOptions#PAPER} (n = 6, rho = 0.555, alpha = 2.6) or
     *                {@code UcagOptions.PAPER.withN(4)}
     */
    public static Explainer ucag(Explainer base, UcagOptions options) {
        if (base == null || options == null) {
            throw new IllegalArgumentException("UCAG needs a base method and options (e.g. UcagOptions.PAPER)");
        }
        return new Ucag(base, options);
    }
}
