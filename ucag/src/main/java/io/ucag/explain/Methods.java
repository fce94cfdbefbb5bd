package io.ucag.explain;

import java.util.List;
import java.util.Locale;

/**
 * The explanation methods by registry name; {@code --help} and the tests iterate over {@link #NAMES}. The CAM
 * family (gradcam ... scorecam) uses a target layer; FullGrad and the gradient family (saliency ...
 * integratedgradients) work on the input and every biased layer and ignore it.
 */
public final class Methods {
    public static final List<String> NAMES = List.of("gradcam", "gradcam++", "xgradcam", "layercam", "hirescam",
            "scorecam", "fullgrad", "saliency", "inputxgradient", "smoothgrad", "integratedgradients", "rap");

    private Methods() {
    }

    /** The method called {@code name} with its default parameters, on {@code layer} (null: the model's default). */
    public static Explainer create(String name, String layer) {
        return switch (name.toLowerCase(Locale.ROOT)) {
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
            default -> throw new IllegalArgumentException("unknown method '" + name + "'; choose one of " + NAMES);
        };
    }
}
