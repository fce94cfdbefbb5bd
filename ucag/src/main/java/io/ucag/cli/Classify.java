package io.ucag.cli;

import io.ucag.api.TopK;
import io.ucag.models.ImageNetClasses;
import io.ucag.models.Model;
import io.ucag.models.Preprocessing;
import io.ucag.models.image.RgbImage;
import io.ucag.runtime.Device;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code classify}: the top-5 classes of each image. */
@Command(name = "classify", description = "Print the top-5 classes of each image.")
final class Classify implements Callable<Integer> {
    @Mixin
    ModelOptions options;

    @Option(names = "--json", description = "One JSON line per image: {\"file\": ..., \"top5\": [[class, p], ...]}.")
    boolean json;

    @Option(names = "--batch", defaultValue = "8", description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
    int batch;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "JPEG, PNG or BMP files.")
    List<Path> images;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (batch < 1) {
            throw new IllegalArgumentException("--batch must be >= 1, got " + batch);
        }
        PrintWriter out = spec.commandLine().getOut();
        try (Device d = options.openDevice(); Model model = options.loadModel(d)) {
            Preprocessing p = model.spec().preprocessing();
            long start = System.nanoTime();
            for (int from = 0; from < images.size(); from += batch) {
                List<Path> files = images.subList(from, Math.min(images.size(), from + batch));
                RgbImage[] fitted = ImageInputs.fit(files, p, options.cropMode());
                try (TensorScope scope = TensorScope.open()) {
                    Tensor logits = model.forward(ImageInputs.batch(d, fitted, p));
                    float[] probabilities = d.softmax(logits, 1).toArray();
                    int classes = logits.shape().dim(1);
                    for (int i = 0; i < files.size(); i++) {
                        int[] top = TopK.indices(probabilities, i * classes, classes, 5);
                        print(out, files.get(i), top, probabilities, i * classes);
                    }
                }
            }
            if (!json) {
                double seconds = (System.nanoTime() - start) / 1e9;
                out.printf(Locale.ROOT, "%d image(s) in %.2f s (%.2f images/s) on %s%n", images.size(), seconds,
                        images.size() / seconds, d.name());
            }
        }
        return 0;
    }

    private void print(PrintWriter out, Path file, int[] top, float[] p, int offset) {
        if (json) {
            StringBuilder sb = new StringBuilder("{\"file\": ").append(io.ucag.weights.json.Json.write(file.getFileName().toString()))
                    .append(", \"top5\": [");
            for (int k = 0; k < top.length; k++) {
                sb.append(k == 0 ? "" : ", ").append('[').append(top[k]).append(", ")
                        .append(String.format(Locale.ROOT, "%.6f", p[offset + top[k]])).append(']');
            }
            out.println(sb.append("]}"));
            return;
        }
        out.println(file);
        for (int k = 0; k < top.length; k++) {
            out.printf(Locale.ROOT, "  %d. %-30s %4d  %6.2f%%%n", k + 1, ImageNetClasses.name(top[k]), top[k],
                    100 * p[offset + top[k]]);
        }
    }
}
