package io.ucag.explain;

import java.util.List;
import java.util.Locale;

/** The explanation methods by registry name; {@code --help} and the tests iterate over {@link #NAMES}. */
public final class Methods {
    public static final List<String> NAMES = List.of("gradcam", "gradcam++", "xgradcam", "layercam", "hirescam");

    private Methods() {
    }

    /** The method called {@code name}, on {@code layer} (null: the model's default CAM layer). */
    public static Explainer create(String name, String layer) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "gradcam" -> new GradCam(layer);
            case "gradcam++", "gradcampp" -> new GradCamPlusPlus(layer);
            case "xgradcam" -> new XGradCam(layer);
            case "layercam" -> new LayerCam(layer);
            case "hirescam" -> new HiResCam(layer);
            default -> throw new IllegalArgumentException("unknown method '" + name + "'; choose one of " + NAMES);
        };
    }
}
