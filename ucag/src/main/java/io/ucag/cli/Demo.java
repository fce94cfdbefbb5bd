package io.ucag.cli;

import io.ucag.api.TopK;
import io.ucag.explain.Explainer;
import io.ucag.explain.GradCam;
import io.ucag.explain.UcagOptions;
import io.ucag.models.ImageNetClasses;
import io.ucag.models.Model;
import io.ucag.models.image.InputTransform;
import io.ucag.runtime.Device;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code demo}: GradCAM vs UCAG-GradCAM on a real photo with the default model; no arguments needed. */
@Command(name = "demo", description = "GradCAM vs UCAG-GradCAM on a cat photo with resnet50-keras; writes demo.png.")
final class Demo implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Option(names = "--out", defaultValue = "demo.png", paramLabel = "OUT.png",
            description = "The figure to write (default: ${DEFAULT-VALUE}).")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter console = spec.commandLine().getOut();
        long t0 = System.nanoTime();
        Path photo = DemoPhoto.obtain(model.cacheDir());
        try (Device d = model.openDevice()) {
            console.printf(Locale.ROOT, "device: %s%n", d.name());
            try (Model m = model.loadModel(d)) {
                console.printf(Locale.ROOT, "photo %s and model %s ready in %.1f s%n", photo, m.spec().architecture(),
                        (System.nanoTime() - t0) / 1e9);
                Explainer gradcam = new GradCam(null);
                ExplainRun.Result r = ExplainRun.run(m, photo, InputTransform.Crop.CENTER, gradcam, -1,
                        UcagOptions.PAPER);
                int[] top = TopK.indices(r.probabilities(), 0, r.probabilities().length, 5);
                console.printf(Locale.ROOT, "top-5 (classify %.2f s):%n", r.classifySeconds());
                for (int k = 0; k < top.length; k++) {
                    console.printf(Locale.ROOT, "  %d. %-28s %4d  %6.2f%%%n", k + 1, ImageNetClasses.name(top[k]),
                            top[k], 100 * r.probabilities()[top[k]]);
                }
                console.printf(Locale.ROOT, "GradCAM %.2f s; UCAG-GradCAM (36 patches of 322 px) %.2f s%n",
                        r.baseSeconds(), r.ucagSeconds());
                ExplainRun.figure(r, gradcam).writePng(out);
                console.printf(Locale.ROOT, "wrote %s%n", out.toAbsolutePath());
            }
        }
        return 0;
    }
}
