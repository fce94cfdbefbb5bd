package io.ucag.eval.run;

import io.ucag.eval.data.Box;
import io.ucag.eval.data.InputGeometry;
import io.ucag.eval.data.Regions;
import io.ucag.eval.data.Sample;
import io.ucag.eval.metrics.CausalMetric;
import io.ucag.eval.metrics.Classifier;
import io.ucag.eval.metrics.EnergyPointingGame;
import io.ucag.eval.metrics.MapDensity;
import io.ucag.eval.metrics.PointingGame;
import io.ucag.eval.report.Thumbnails;
import io.ucag.explain.CamMethod;
import io.ucag.explain.CamPasses;
import io.ucag.explain.Explainer;
import io.ucag.explain.Explanation;
import io.ucag.explain.Ucag;
import io.ucag.models.Model;
import io.ucag.models.Preprocessing;
import io.ucag.models.image.ImageFiles;
import io.ucag.models.image.InputTransform;
import io.ucag.models.image.RgbImage;
import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs the metrics of every method on every sample and appends one {@link ResultRecord} per (sample, method) to
 * {@code out/results.jsonl}, skipping pairs already there (resume). Thumbnails for the gallery are written before
 * their line, so a line in the file always has its pictures. Samples are processed one at a time, in order; each
 * is independent of the others, which makes an interrupted and resumed run give the same lines as one that ran
 * through.
 */
public final class Evaluator {
    private static final System.Logger LOG = System.getLogger(Evaluator.class.getName());

    /** How a run ended: pairs computed now, pairs found done, images that could not be read. */
    public record Outcome(int computed, int skipped, List<String> unreadable) {
    }

    private final Model model;
    private final EvaluationOptions options;
    private final Path out;
    private final Progress progress;
    private final Map<String, Explainer> explainers = new LinkedHashMap<>();
    // The CAM methods of one sample share their forward/backward passes (the whole image and UCAG's patches).
    private final CamPasses camPasses = new CamPasses(8);

    public Evaluator(Model model, EvaluationOptions options, Path out, Progress progress) {
        this.model = model;
        this.options = options;
        this.out = out;
        this.progress = progress;
        for (String m : options.methods()) {
            explainers.put(m, sharingCamPasses(EvaluationOptions.explainer(m, options.layer(), options.ucag())));
        }
    }

    private Explainer sharingCamPasses(Explainer e) {
        if (e instanceof CamMethod cam) {
            return cam.sharing(camPasses);
        }
        if (e instanceof Ucag ucag && ucag.base() instanceof CamMethod cam) {
            return new Ucag(cam.sharing(camPasses), ucag.options());
        }
        return e;
    }

    /** The samples of the first {@code limit} distinct images (all when limit is 0). */
    public static List<Sample> limit(List<Sample> samples, int limit) {
        if (limit == 0) {
            return samples;
        }
        Set<String> images = new LinkedHashSet<>();
        List<Sample> kept = new ArrayList<>();
        for (Sample s : samples) {
            if (images.add(s.image()) && images.size() > limit) {
                break;
            }
            kept.add(s);
        }
        return kept;
    }

    /** Evaluates {@code samples} (after --limit), appending to {@code log}, the open results file of {@code out}. */
    public Outcome run(List<Sample> samples, ResultsLog log) throws IOException {
        List<Sample> selected = limit(samples, options.limit());
        int pending = 0;
        int skipped = 0;
        Set<String> pendingImages = new LinkedHashSet<>();
        for (Sample s : selected) {
            for (String m : explainers.keySet()) {
                if (log.isDone(ResultRecord.key(s.image(), s.label(), m))) {
                    skipped++;
                } else {
                    pending++;
                    pendingImages.add(s.image());
                }
            }
        }
        progress.start(pending, pendingImages.size());
        int computed = 0;
        List<String> unreadable = new ArrayList<>();
        try {
            for (Sample s : selected) {
                List<String> todo = explainers.keySet().stream()
                        .filter(m -> !log.isDone(ResultRecord.key(s.image(), s.label(), m))).toList();
                if (todo.isEmpty()) {
                    continue;
                }
                RgbImage file;
                try {
                    file = ImageFiles.read(s.path());
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.WARNING, "skipped: {0}", e.getMessage());
                    unreadable.add(s.image());
                    todo.forEach(m -> progress.advance(s.image(), m));
                    continue;
                }
                try {
                    computed += evaluateSample(s, file, todo, log);
                } finally {
                    camPasses.clear();
                }
            }
        } finally {
            progress.finish();
        }
        return new Outcome(computed, skipped, unreadable);
    }

    private int evaluateSample(Sample s, RgbImage file, List<String> todo, ResultsLog log) throws IOException {
        Device d = model.device();
        Preprocessing p = model.spec().preprocessing();
        InputGeometry g = InputGeometry.of(file.width(), file.height(), p, options.crop());
        checkBoxes(s, g);
        RgbImage fitted = InputTransform.fit(file, p, options.crop());
        Path thumbs = Thumbnails.folder(out, s.image(), s.label());
        Files.createDirectories(thumbs);
        Thumbnails.writePhoto(fitted, thumbs);
        boolean[] pointingRegion = pointingRegion(s, g);
        List<Box> inputBoxes = Regions.toInput(s.boxes(), g);
        boolean[] boxRegion = inputBoxes.isEmpty() ? null : Regions.boxes(inputBoxes, g.side());
        int done = 0;
        try (TensorScope scope = TensorScope.open()) {
            int side = p.cropSize();
            Tensor input = d.fromArray(Shape.of(1, 3, side, side), InputTransform.normalize(fitted, p));
            float[] probabilities = d.softmax(model.forward(input), 1).toArray();
            if (s.label() >= probabilities.length) {
                throw new IllegalArgumentException(s.image() + ": class " + s.label() + " but the model has "
                        + probabilities.length + " classes");
            }
            int predicted = argmax(probabilities);
            int target = options.scorePredicted() ? predicted : s.label();
            for (String method : todo) {
                Explainer e = explainers.get(method);
                long t0 = System.nanoTime();
                float[] map;
                try (Explanation x = e.explain(model, input, new int[] {target})) {
                    map = x.maps().toArray();
                }
                long t1 = System.nanoTime();
                EnumMap<Score, Double> scores = new EnumMap<>(Score.class);
                float[] deletion = null;
                float[] insertion = null;
                Classifier net = Classifier.of(model);
                if (options.has(Metric.DELETION)) {
                    deletion = CausalMetric.curve(CausalMetric.Game.DELETION, d, net, input, map, target,
                            options.game());
                    scores.put(Score.DELETION, CausalMetric.auc(deletion));
                }
                if (options.has(Metric.INSERTION)) {
                    insertion = CausalMetric.curve(CausalMetric.Game.INSERTION, d, net, input, map, target,
                            options.game());
                    scores.put(Score.INSERTION, CausalMetric.auc(insertion));
                }
                if (options.has(Metric.POINTING)) {
                    scores.put(Score.POINTING, pointingRegion == null ? null
                            : PointingGame.hit(map, pointingRegion, side, options.tolerance()) ? 1.0 : 0.0);
                }
                if (options.has(Metric.ENERGY)) {
                    scores.put(Score.ENERGY, boxRegion == null ? null : EnergyPointingGame.energy(map, boxRegion));
                }
                if (options.has(Metric.DENSITY)) {
                    MapDensity.Densities density = MapDensity.of(d, net, input, map, target);
                    scores.put(Score.DENSITY_POSITIVE, density.positive());
                    scores.put(Score.DENSITY_NEGATIVE, density.negative());
                }
                long t2 = System.nanoTime();
                Thumbnails.writeMap(fitted, map, e.signed(), thumbs, method);
                log.append(new ResultRecord(s.image(), s.label(), method, target, predicted, probabilities[target],
                        scores, deletion, insertion, (t1 - t0) / 1e9, (t2 - t1) / 1e9));
                done++;
                progress.advance(s.image(), method);
            }
        }
        return done;
    }

    /**
     * The pointing game's ground truth (TorchRay): the class's masks when the dataset has them, else its boxes;
     * null (skipped) without ground truth, when it falls outside the crop, or when all boxes are VOC-difficult.
     */
    private static boolean[] pointingRegion(Sample s, InputGeometry g) {
        if (!s.boxes().isEmpty() && s.boxes().stream().allMatch(Box::difficult)) {
            return null;
        }
        boolean[] region;
        if (!s.masks().isEmpty()) {
            region = Regions.masks(s.masks(), g);
        } else {
            List<Box> boxes = Regions.toInput(s.boxes(), g);
            region = boxes.isEmpty() ? null : Regions.boxes(boxes, g.side());
        }
        return region != null && Regions.any(region) ? region : null;
    }

    /** Boxes must be in the file's pixel grid; one reaching more than a pixel outside it is a data error. */
    private static void checkBoxes(Sample s, InputGeometry g) {
        for (Box b : s.boxes()) {
            if (b.x0() < -1 || b.y0() < -1 || b.x1() > g.fileWidth() + 1 || b.y1() > g.fileHeight() + 1) {
                throw new IllegalArgumentException(s.image() + ": box (" + b.x0() + ", " + b.y0() + ", " + b.x1()
                        + ", " + b.y1() + ") lies outside the " + g.fileWidth() + "x" + g.fileHeight()
                        + " image; boxes must be in the pixel grid of the image file");
            }
        }
    }

    private static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
