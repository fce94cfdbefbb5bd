package io.ucag.cli;

import io.ucag.explain.Explainer;
import io.ucag.explain.Methods;
import io.ucag.explain.RelevanceExplainer;
import io.ucag.explain.relative.ObservableExplainer;
import io.ucag.explain.UcagOptions;
import io.ucag.models.ImageNetClasses;
import io.ucag.models.Model;
import io.ucag.render.PostProcess;
import io.ucag.models.image.RgbImage;
import io.ucag.runtime.Device;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.io.Npy;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code explain}: one photo, one method, optionally wrapped in UCAG; a figure and the raw map. */
@Command(name = "explain", description = "Explain a model's decision on one photo; write a figure (and the map).")
final class Explain implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Option(names = "--image", required = true, paramLabel = "IMG", description = "JPEG, PNG or BMP photo.")
    Path image;

    @Option(names = "--method", defaultValue = "gradcam", paramLabel = "NAME",
            description = "CAMs: gradcam, gradcam++, xgradcam, layercam, hirescam, scorecam (one forward per "
                    + "channel: slow); fullgrad; gradients: saliency, inputxgradient, smoothgrad (25 noisy copies), "
                    + "integratedgradients (32 steps); relevance: lrp (composite epsilon-plus), lrp-eps, lrp-ab, "
                    + "lrp-zplus, clrp (c*LRP), sglrp; relative: rap, rsp (from --layer), agf "
                    + "(default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--composite", paramLabel = "NAME",
            description = "LRP composite of a relevance method: epsilon-plus, epsilon-plus-flat, epsilon-gamma-box, "
                    + "alpha2-beta1, alpha1-beta0, epsilon, lrp0 (default: the method's).")
    String composite;

    @Option(names = "--dump-layer", paramLabel = "NAME[,NAME...]",
            description = "Relevance method: write the relevance and gradient at these layers' outputs (repeatable "
                    + "or comma-separated) to --dump-dir as .npy and print the per-layer relevance sums.")
    List<String> dumpLayers = new ArrayList<>();

    @Option(names = "--dump-dir", paramLabel = "DIR", description = "Where --dump-layer writes (default: .).")
    Path dumpDir = Path.of(".");

    @Mixin
    UcagFlags ucag;

    @Option(names = "--target", defaultValue = "top1", paramLabel = "top1|INDEX",
            description = "Class to explain (default: the top-1 prediction).")
    String target;

    @Option(names = "--layer", paramLabel = "NAME", description = "Target layer (default: the model's, e.g. layer4).")
    String layer;

    @Option(names = "--post", defaultValue = "relu-minmax", paramLabel = "raw|relu-minmax",
            description = "Post-processing of the map saved with --raw (default: ${DEFAULT-VALUE}).")
    String post;

    @Option(names = "--out", required = true, paramLabel = "OUT.png", description = "The figure to write.")
    Path out;

    @Option(names = "--raw", paramLabel = "OUT.npy", description = "Also save the final map (H, W) as float32 .npy.")
    Path raw;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PostProcess postProcess = PostProcess.parse(post);
        UcagOptions options = ucag.options();
        Explainer explainer = Methods.create(method, layer, composite);
        List<String> dump = RelevanceDump.layerNames(dumpLayers);
        if (!dump.isEmpty() && !(explainer instanceof RelevanceExplainer || explainer instanceof ObservableExplainer)) {
            throw new IllegalArgumentException("--dump-layer needs a relevance method (" + Methods.RELEVANCE
                    + ", rap, rsp, agf), not '" + method + "'");
        }
        int targetClass = parseTarget(target);
        PrintWriter console = spec.commandLine().getOut();
        try (Device d = model.openDevice(); Model m = model.loadModel(d)) {
            ExplainRun.Result r = ExplainRun.run(m, image, model.cropMode(), explainer, targetClass, options);
            ExplainRun.figure(r, explainer).writePng(out);
            float[] finalMap = r.ucagMap() != null ? r.ucagMap() : r.baseMap();
            if (raw != null) {
                int side = r.photo().height();
                Npy.write(raw, new int[] {side, r.photo().width()}, postProcess.apply(finalMap));
            }
            if (!dump.isEmpty()) {
                try (TensorScope scope = TensorScope.open()) {
                    Tensor input = ImageInputs.batch(d, new RgbImage[] {r.photo()}, m.spec().preprocessing());
                    if (explainer instanceof ObservableExplainer observable) {
                        RelevanceDump.writeObserved(m, input, observable, r.target(), dump, dumpDir, console);
                    } else {
                        RelevanceDump.write(m, input, (RelevanceExplainer) explainer, r.target(), dump, dumpDir,
                                console);
                    }
                }
            }
            console.printf(Locale.ROOT, "%s: class %d %s (p = %.4f); %s %.2f s%s; wrote %s%s%n", image,
                    r.target(), ImageNetClasses.name(r.target()), r.probability(), explainer.name(), r.baseSeconds(),
                    options != null ? String.format(Locale.ROOT, ", UCAG %.2f s", r.ucagSeconds()) : "", out,
                    raw != null ? " and " + raw : "");
        }
        return 0;
    }

    static int parseTarget(String target) {
        if (target.equals("top1")) {
            return -1;
        }
        try {
            int t = Integer.parseInt(target);
            if (t < 0) {
                throw new IllegalArgumentException("--target must be top1 or a class index >= 0, got " + target);
            }
            return t;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--target must be top1 or a class index, got '" + target + "'");
        }
    }
}
