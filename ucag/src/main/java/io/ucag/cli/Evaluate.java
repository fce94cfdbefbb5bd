package io.ucag.cli;

import io.ucag.eval.data.DatasetSpec;
import io.ucag.eval.data.Datasets;
import io.ucag.eval.metrics.CausalMetric;
import io.ucag.eval.report.Reports;
import io.ucag.eval.run.EvaluationOptions;
import io.ucag.eval.run.Evaluator;
import io.ucag.eval.run.Metric;
import io.ucag.eval.run.ResultsLog;
import io.ucag.eval.run.RunSettings;
import io.ucag.eval.run.TerminalProgress;
import io.ucag.explain.UcagOptions;
import io.ucag.models.ImageNetClasses;
import io.ucag.models.Model;
import io.ucag.runtime.Device;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code evaluate}: metrics of explanation methods over a dataset, resumable, with summary tables and a gallery. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, description = {
    "Evaluate explanation methods on a dataset: deletion / insertion AUC, pointing game, energy-based pointing game, "
        + "positive / negative map density.",
    "Writes OUT/results.jsonl (one line per image and method, appended as it goes: run the same command again to "
        + "resume), OUT/summary.md, OUT/summary.csv and OUT/report.html."})
final class Evaluate implements Callable<Integer> {
    @Option(names = "--images", required = true, paramLabel = "DIR", description = "Folder of the images.")
    Path images;

    @Option(names = "--labels", paramLabel = "CSV", description = "file,label CSV (default: labels from --voc, "
            + "--coco, --boxes, or ImageNet-sample names <wnid>_<name>.JPEG).")
    Path labels;

    @Option(names = "--boxes", paramLabel = "CSV", description = "file,label,orig_w,orig_h,x0,y0,x1,y1 CSV, corners "
            + "in the image file's pixel grid (for the pointing games).")
    Path boxes;

    @Option(names = "--voc", paramLabel = "DIR", description = "PASCAL VOC Annotations folder (XML).")
    Path voc;

    @Option(names = "--coco", paramLabel = "JSON", description = "COCO instances JSON (boxes and masks).")
    Path coco;

    @Option(names = "--classes", paramLabel = "FILE", description = "Class names in the model's output order, for "
            + "--voc / --coco (default: VOC's 20 classes; COCO categories by id).")
    Path classes;

    @Mixin
    ModelOptions model;

    @Option(names = "--methods", defaultValue = "gradcam,gradcam+ucag", split = ",", paramLabel = "LIST",
            description = "Methods; NAME+ucag wraps NAME in UCAG (default: ${DEFAULT-VALUE}). Names: any of "
                    + "`explain --method` (gradcam, gradcam++, xgradcam, layercam, hirescam, scorecam, fullgrad, "
                    + "the gradient and relevance families).")
    List<String> methods;

    @Option(names = "--metrics", defaultValue = "all", paramLabel = "LIST",
            description = "deletion,insertion,pointing,energy,density or all (default: ${DEFAULT-VALUE}).")
    String metrics;

    @Option(names = "--target", defaultValue = "label", paramLabel = "label|predicted",
            description = "The class explained and scored: the ground truth or the top-1 prediction "
                    + "(default: ${DEFAULT-VALUE}).")
    String target;

    @Option(names = "--step", paramLabel = "PIXELS",
            description = "Pixels per deletion / insertion step (default: 8 x the input side, 1792 at 224).")
    Integer step;

    @Option(names = "--batch", defaultValue = "16", paramLabel = "N",
            description = "Images per forward pass in the metrics; bounds memory (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--tolerance", defaultValue = "15", paramLabel = "PIXELS",
            description = "Pointing game tolerance in input pixels (default: ${DEFAULT-VALUE}).")
    int tolerance;

    @Option(names = "--layer", paramLabel = "NAME", description = "CAM target layer (default: the model's).")
    String layer;

    @Mixin
    UcagFlags ucag;

    @Option(names = "--limit", defaultValue = "0", paramLabel = "N",
            description = "Evaluate the first N images only (default: all).")
    int limit;

    @Option(names = "--gallery", defaultValue = "50", paramLabel = "N",
            description = "Images shown in report.html (default: ${DEFAULT-VALUE}).")
    int gallery;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter console = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean scorePredicted = switch (target.toLowerCase(Locale.ROOT)) {
            case "label" -> false;
            case "predicted" -> true;
            default -> throw new IllegalArgumentException("--target must be label or predicted, got '" + target + "'");
        };
        if (batch < 1) {
            throw new IllegalArgumentException("--batch must be >= 1, got " + batch);
        }
        if (step != null && step < 1) {
            throw new IllegalArgumentException("--step must be >= 1, got " + step);
        }
        Set<Metric> metricSet = Metric.parse(metrics);
        List<String> methodList = methodList();
        UcagOptions ucagOptions = ucagOptions(methodList);
        methodList.forEach(m -> EvaluationOptions.explainer(m, layer, ucagOptions)); // fail before loading anything
        DatasetSpec data = new DatasetSpec(images, labels, boxes, voc, coco, classes);
        Datasets.Dataset dataset = Datasets.load(data);
        try (Device d = model.openDevice(); Model m = model.loadModel(d)) {
            int side = m.spec().preprocessing().cropSize();
            CausalMetric.Options game = CausalMetric.Options.paper(side).withBatch(batch)
                    .withStep(step != null ? step : side * 8);
            EvaluationOptions options = new EvaluationOptions(methodList, metricSet, scorePredicted, game, tolerance,
                    layer, ucagOptions, model.cropMode(), limit, gallery);
            Files.createDirectories(out);
            try (ResultsLog log = ResultsLog.open(out.resolve("results.jsonl"))) {
                RunSettings.recordOrCheck(out, settings(m, options, data));
                TerminalProgress progress = new TerminalProgress(err, System.console() != null);
                Evaluator.Outcome outcome = new Evaluator(m, options, out, progress).run(dataset.samples(), log);
                String heading = heading(m, d, options, Evaluator.limit(dataset.samples(), limit).size());
                IntFunction<String> names = dataset.classNames() == null ? ImageNetClasses::name
                        : i -> i < dataset.classNames().size() ? dataset.classNames().get(i) : "class " + i;
                Reports.write(out, log.records(), heading, gallery, names);
                console.printf(Locale.ROOT, "%d result(s) computed, %d already done; wrote %s, %s and %s%n",
                        outcome.computed(), outcome.skipped(), out.resolve("results.jsonl"), out.resolve("summary.md"),
                        out.resolve("report.html"));
                if (!outcome.unreadable().isEmpty()) {
                    err.println("ucag evaluate: " + outcome.unreadable().size() + " image(s) could not be read, e.g. "
                            + outcome.unreadable().get(0));
                    return 1;
                }
            }
        }
        return 0;
    }

    /** The methods, with NAME+ucag added after each NAME when --ucag is given. */
    private List<String> methodList() {
        List<String> out = new ArrayList<>();
        for (String m : methods) {
            String name = m.trim().toLowerCase(Locale.ROOT);
            out.add(name);
            if (ucag.enabled && !name.endsWith(EvaluationOptions.UCAG_SUFFIX)) {
                out.add(name + EvaluationOptions.UCAG_SUFFIX);
            }
        }
        return out;
    }

    private UcagOptions ucagOptions(List<String> methodList) {
        boolean needed = methodList.stream().anyMatch(m -> m.endsWith(EvaluationOptions.UCAG_SUFFIX));
        ucag.enabled = true; // the UCAG flags apply to every NAME+ucag method
        UcagOptions o = ucag.options();
        return needed ? o : null;
    }

    /** What decides the numbers; a resumed run must match (see RunSettings). */
    private Map<String, String> settings(Model m, EvaluationOptions o, DatasetSpec data) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("model", m.spec().architecture());
        s.put("weights", model.weights == null ? "default" : model.weights.toAbsolutePath().normalize().toString());
        s.put("crop", model.crop);
        s.put("metrics", String.join(",", new TreeSet<>(o.metrics().stream().map(Metric::key).toList())));
        s.put("target", o.scorePredicted() ? "predicted" : "label");
        s.put("step", Integer.toString(o.game().step()));
        s.put("blur", o.game().blurKernel() + "/" + o.game().blurSigma());
        s.put("tolerance", Integer.toString(o.tolerance()));
        s.put("layer", o.layer() == null ? m.spec().defaultCamLayer() : o.layer());
        UcagOptions u = ucag.options();
        s.put("ucag", String.format(Locale.ROOT, "n=%d rho=%s crop_px=%d alpha=%s weighting=%s fold=%s", u.n(),
                u.rho(), u.cropPixels(), u.alpha(), u.weighting(), u.fold()));
        s.put("images", path(data.images()));
        s.put("labels", path(data.labels()));
        s.put("boxes", path(data.boxes()));
        s.put("voc", path(data.voc()));
        s.put("coco", path(data.coco()));
        s.put("classes", path(data.classes()));
        return s;
    }

    private static String path(Path p) {
        return p == null ? "" : p.toAbsolutePath().normalize().toString();
    }

    private String heading(Model m, Device d, EvaluationOptions o, int samples) {
        return String.format(Locale.ROOT, "Model %s (%s weights), crop %s, device %s; %d sample(s) of %s; target %s; "
                        + "deletion/insertion step %d, blur %d/%.0f; pointing tolerance %d px%s.",
                m.spec().architecture(), model.weights == null ? "default" : model.weights.getFileName().toString(),
                model.crop, d.name(), samples, images, o.scorePredicted() ? "predicted class" : "ground-truth label",
                o.game().step(), o.game().blurKernel(), o.game().blurSigma(), o.tolerance(),
                o.ucag() == null ? "" : String.format(Locale.ROOT, "; UCAG n=%d, alpha=%s, %s fold", o.ucag().n(),
                        o.ucag().alpha(), o.ucag().fold().toString().toLowerCase(Locale.ROOT)));
    }
}
