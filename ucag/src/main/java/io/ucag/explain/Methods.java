package io.ucag.explain;

import java.util.List;
import java.util.Locale;

/**
 * The explanation methods by registry name; {@code --help} and the tests iterate over {@link #NAMES}. The CAM
 * family (gradcam ... scorecam) uses a target layer; FullGrad and the gradient family (saliency ...
 * integratedgradients) work on the input and every biased layer and ignore it; so do the relevance methods (lrp ...
 * sglrp), which take an LRP composite instead.
 */
public final class Methods {
    public static final List<String> NAMES = List.of("gradcam", "gradcam++", "xgradcam", "layercam", "hirescam",
            "scorecam", "fullgrad", "saliency", "inputxgradient", "smoothgrad", "integratedgradients", "lrp", "lrp-eps",
            "lrp-ab", "lrp-zplus", "clrp", "sglrp", "rap", "rsp", "agf");

    /** The relevance methods, which take a composite (see {@link io.ucag.models.relevance.Composites}). */
    public static final List<String> RELEVANCE = List.of("lrp", "lrp-eps", "lrp-ab", "lrp-zplus", "clrp", "sglrp");

    private Methods() {
    }

    /** The method called {@code name} with its default parameters, on {@code layer} (null: the model's default). */
    public static Explainer create(String name, String layer) {
        return create(name, layer, null);
    }

    /**
     * As {@link #create(String, String)}, with the LRP composite of a relevance method ({@link #RELEVANCE}; null: the
     * method's default). A composite for any other method is an error.
     */
    public static Explainer create(String name, String layer, String composite) {
        String key = name.toLowerCase(Locale.ROOT);
        if (composite != null && !RELEVANCE.contains(key)) {
            throw new IllegalArgumentException("--composite applies to the relevance methods " + RELEVANCE
                    + ", not to '" + name + "'");
        }
        return switch (key) {
            case "lrp" -> new Lrp("lrp", composite != null ? composite : "epsilon-plus");
            case "lrp-eps" -> new Lrp("lrp-eps", composite != null ? composite : "epsilon");
            case "lrp-ab" -> new Lrp("lrp-ab", composite != null ? composite : "alpha2-beta1");
            case "lrp-zplus" -> new Lrp("lrp-zplus", composite != null ? composite : "alpha1-beta0");
            case "clrp" -> new ContrastiveLrp(composite != null ? composite : "epsilon-plus");
            case "sglrp" -> new SoftmaxGradientLrp(composite != null ? composite : "epsilon-plus");
            case "gradcam" -> new GradCam(layer);
            case "gradcam++", "gradcampp" -> new GradCamPlusPlus(layer);
            case "xgradcam" -> new XGradCam(layer);
            case "layercam" -> new LayerCam(layer);
            case "hirescam" -> new HiResCam(layer);
            case "scorecam" -> new ScoreCam(layer);
            case "fullgrad" -> new FullGrad();
            case "saliency" -> new Saliency();
            case "inputxgradient", "ixg" -> new InputXGradient();
            case "smoothgrad" -> new SmoothGrad();
            case "integratedgradients", "ig" -> new IntegratedGradients();
            case "rap" -> new Rap();
            case "rsp" -> new Rsp(layer);
            case "agf" -> new Agf();
            default -> throw new IllegalArgumentException("unknown method '" + name + "'; choose one of " + NAMES);
        };
    }
}
