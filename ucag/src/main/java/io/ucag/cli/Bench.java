package io.ucag.cli;

import io.ucag.api.TopK;
import io.ucag.explain.Explainer;
import io.ucag.explain.Methods;
import io.ucag.explain.Ucag;
import io.ucag.explain.UcagGeometry;
import io.ucag.explain.UcagOptions;
import io.ucag.models.Model;
import io.ucag.models.Preprocessing;
import io.ucag.models.image.ImageFiles;
import io.ucag.models.image.InputTransform;
import io.ucag.models.image.RgbImage;
import io.ucag.runtime.Device;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.ops.ResizeMode;
import io.ucag.runtime.profile.OpProfile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench}: seconds per explanation (median of timed runs after one warm-up), per-layer GFLOP/s of the
 * forward pass the workload runs, peak resident memory, and optionally where the time goes op by op.
 */
@Command(name = "bench", description = "Time an explanation (or a plain forward pass) end to end: median seconds, "
        + "per-layer GFLOP/s against the machine's peak (-Ducag.bench.peakGflops; default 196 on CPUs, none on GPUs), "
        + "peak memory.")
final class Bench implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Mixin
    UcagFlags ucag;

    @Option(names = "--method", defaultValue = "gradcam", paramLabel = "NAME",
            description = "Method to time, or 'forward' for a plain forward pass (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--layer", paramLabel = "NAME", description = "CAM target layer (default: the model's).")
    String layer;

    @Option(names = "--image", paramLabel = "FILE", description = "Photo (default: the demo photo).")
    Path image;

    @Option(names = "--batch", defaultValue = "1",
            description = "Copies of the photo per call (default: ${DEFAULT-VALUE}); 16 for forward throughput.")
    int batch;

    @Option(names = "--runs", defaultValue = "5", description = "Timed runs (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--profile", description = "Also run once with a wait after every op and print time per op.")
    boolean profile;

    @Option(names = "--json", description = "End with one JSON line: seconds_median, gflops, peak_rss_mb, device.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        if (runs < 1 || batch < 1) {
            throw new IllegalArgumentException("--runs and --batch must be >= 1, got " + runs + " and " + batch);
        }
        PrintWriter out = spec.commandLine().getOut();
        Path photoFile = image != null ? image : DemoPhoto.obtain(model.cacheDir());
        boolean forwardOnly = method.equals("forward");
        Explainer base = forwardOnly ? null : Methods.create(method, layer);
        UcagOptions flags = ucag.options();
        UcagOptions options = flags == null || forwardOnly ? flags // the micro-batch Ucag will really use
                : flags.withMicroBatch(Math.min(flags.microBatch(), base.maxBatch()));
        Explainer explainer = options != null && !forwardOnly ? new Ucag(base, options) : base;
        String workload = (forwardOnly ? "forward" : explainer.name()) + " on " + model.model + ", batch " + batch;
        try (Device d = model.openDevice(); Model m = model.loadModel(d)) {
            Preprocessing p = m.spec().preprocessing();
            RgbImage photo = InputTransform.fit(ImageFiles.read(photoFile), p, model.cropMode());
            RgbImage[] copies = new RgbImage[batch];
            Arrays.fill(copies, photo);
            double[] seconds = new double[runs];
            try (Tensor input = ImageInputs.batch(d, copies, p)) {
                int[] targets = new int[batch];
                Arrays.fill(targets, topClass(m, input));
                Runnable call = forwardOnly ? () -> m.forward(input).toArray()
                        : explain(m, input, targets, explainer);
                out.printf(Locale.ROOT, "bench: %s on %s: 1 warm-up + %d runs%n", workload, d.name(), runs);
                call.run();
                for (int r = 0; r < runs; r++) {
                    long t0 = System.nanoTime();
                    call.run();
                    seconds[r] = (System.nanoTime() - t0) / 1e9;
                    out.printf(Locale.ROOT, "  run %d: %.3f s%n", r + 1, seconds[r]);
                }
                LayerTimes layers = LayerTimes.measure(m, layerInput(d, input, options, forwardOnly));
                layers.print(out);
                if (profile && !forwardOnly) {
                    printProfile(out, m, input, targets, explainer);
                }
                double median = median(seconds);
                double gflops = layers.forwardGflop() * forwardPasses(m, input, options, forwardOnly) / median;
                long rss = PeakMemory.residentMegabytes();
                out.printf(Locale.ROOT, "%s: median %.3f s (min %.3f), %.1f GFLOP/s of forward convolutions, "
                        + "peak RSS %d MB%n", workload, median, Arrays.stream(seconds).min().orElse(0), gflops, rss);
                if (json) {
                    out.printf(Locale.ROOT, "{\"seconds_median\": %.4f, \"gflops\": %.2f, \"peak_rss_mb\": %d, "
                            + "\"device\": \"%s\"}%n", median, gflops, rss, d.name().replace("\"", "'"));
                }
            }
        }
        return 0;
    }

    private static Runnable explain(Model m, Tensor input, int[] targets, Explainer explainer) {
        return () -> {
            try (var e = explainer.explain(m, input, targets)) {
                e.maps().toArray();
            }
        };
    }

    private static int topClass(Model m, Tensor input) {
        try (TensorScope scope = TensorScope.open()) {
            Tensor first = m.device().slice(input, 0, 0, 1);
            float[] logits = m.forward(first).toArray();
            return TopK.indices(logits, 0, logits.length, 1)[0];
        }
    }

    /** The input of one forward pass of the workload: the batch itself, or one micro-batch of UCAG patches. */
    private static Tensor layerInput(Device d, Tensor input, UcagOptions options, boolean forwardOnly) {
        if (options == null || forwardOnly) {
            return d.reshape(input, input.shape());
        }
        int h = options.patchSide(input.shape().dim(2));
        int w = options.patchSide(input.shape().dim(3));
        int patches = Math.min(options.microBatch(), options.n() * options.n());
        try (TensorScope scope = TensorScope.open()) {
            Tensor one = d.slice(input, 0, 0, 1);
            Tensor patch = d.resize(d.crop(one, 0, 0, h, w), UcagGeometry.upsampledSide(h, options.alpha()),
                    UcagGeometry.upsampledSide(w, options.alpha()), ResizeMode.BICUBIC);
            Tensor[] same = new Tensor[patches];
            Arrays.fill(same, patch);
            return scope.keep(d.concat(Arrays.asList(same), 0));
        }
    }

    /** How many forward passes like {@link #layerInput}'s one explanation runs (the CAM family: one per batch). */
    private static double forwardPasses(Model m, Tensor input, UcagOptions options, boolean forwardOnly) {
        if (options == null || forwardOnly) {
            return 1;
        }
        double patches = (double) options.n() * options.n() * input.shape().dim(0);
        return patches / Math.min(options.microBatch(), options.n() * options.n());
    }

    private static void printProfile(PrintWriter out, Model m, Tensor input, int[] targets, Explainer explainer) {
        OpProfile profile = new OpProfile();
        Device profiled = profile.wrap(m.device());
        try (Model view = m.on(profiled); var e = explainer.explain(view, input, targets)) {
            e.maps().toArray();
        }
        out.printf(Locale.ROOT, "%nop profile (a wait after every op; total %.2f s):%n", profile.totalSeconds());
        out.printf(Locale.ROOT, "  %-24s %7s %9s %7s %9s%n", "op", "calls", "seconds", "share", "GFLOP/s");
        for (OpProfile.Entry entry : profile.entries()) {
            out.printf(Locale.ROOT, "  %-24s %7d %9.3f %6.1f%% %9s%n", entry.op(), entry.calls(), entry.seconds(),
                    100 * entry.seconds() / profile.totalSeconds(),
                    entry.flops() > 0 ? String.format(Locale.ROOT, "%.1f", entry.gflops()) : "");
        }
        // -Ducag.bench.shapes=N lists more (a kernel author's view of the whole pass)
        printCostliestShapes(out, profile.calls(), Integer.getInteger("ucag.bench.shapes", 15));
    }

    /** The {@code count} (op, shapes) pairs that took the most time in all, with their calls and GFLOP/s. */
    private static void printCostliestShapes(PrintWriter out, List<OpProfile.Call> calls, int count) {
        Map<String, double[]> byShape = new LinkedHashMap<>(); // op + shapes -> {seconds, flops, calls}
        for (OpProfile.Call c : calls) {
            double[] t = byShape.computeIfAbsent(String.format(Locale.ROOT, "%-24s %s", c.op(), c.shapes()),
                    k -> new double[3]);
            t[0] += c.seconds();
            t[1] += c.flops();
            t[2]++;
        }
        out.printf(Locale.ROOT, "%ncostliest op shapes:%n  %-96s %7s %9s %9s%n", "op and shapes", "calls", "seconds",
                "GFLOP/s");
        byShape.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0])).limit(count)
                .forEach(e -> out.printf(Locale.ROOT, "  %-96s %7d %9.3f %9s%n", e.getKey(), (long) e.getValue()[2],
                        e.getValue()[0], e.getValue()[1] > 0
                                ? String.format(Locale.ROOT, "%.1f", e.getValue()[1] / e.getValue()[0] / 1e9) : ""));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
