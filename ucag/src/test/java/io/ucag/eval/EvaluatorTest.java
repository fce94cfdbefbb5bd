package io.ucag.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.eval.data.DatasetSpec;
import io.ucag.eval.data.Datasets;
import io.ucag.eval.data.Sample;
import io.ucag.eval.metrics.CausalMetric;
import io.ucag.eval.report.Reports;
import io.ucag.eval.run.EvaluationOptions;
import io.ucag.eval.run.Evaluator;
import io.ucag.eval.run.Metric;
import io.ucag.eval.run.ResultRecord;
import io.ucag.eval.run.ResultsLog;
import io.ucag.eval.run.Score;
import io.ucag.explain.UcagOptions;
import io.ucag.models.Model;
import io.ucag.models.image.InputTransform;
import io.ucag.runtime.java.JavaDevice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evaluation loop in process, on the tiny model and a generated dataset. */
class EvaluatorTest {
    private static JavaDevice device;
    private static Model model;
    private static List<Sample> samples;
    @TempDir
    static Path data;
    @TempDir
    Path out;

    @BeforeAll
    static void open() throws IOException {
        device = new JavaDevice(2);
        model = TinyNet.load(device, 5);
        TinyNet.dataset(data, 4, 40, 36, 9);
        samples = Datasets.load(new DatasetSpec(data, data.resolve("labels.csv"), data.resolve("boxes.csv"), null,
                null, null)).samples();
    }

    @AfterAll
    static void close() {
        model.close();
        device.close();
    }

    private static EvaluationOptions options(int limit) {
        UcagOptions ucag = new UcagOptions(2, 0.6, 0, 1.5, 4, true, UcagOptions.Fold.STANDARD);
        return new EvaluationOptions(List.of("gradcam", "gradcam+ucag"), EnumSet.allOf(Metric.class), false,
                new CausalMetric.Options(64, 51, 50f, 7), 15, null, ucag, InputTransform.Crop.CENTER, limit, 10);
    }

    private Evaluator.Outcome run(int limit) throws IOException {
        try (ResultsLog log = ResultsLog.open(out.resolve("results.jsonl"))) {
            Evaluator.Outcome o = new Evaluator(model, options(limit), out, io.ucag.eval.run.Progress.NONE)
                    .run(samples, log);
            Reports.write(out, log.records(), "test", 10, i -> "c" + i);
            return o;
        }
    }

    private static List<String> withoutTimes(Path file) throws IOException {
        return Files.readAllLines(file).stream()
                .map(l -> l.replaceAll(",\"explain_s\":[^,}]*", "").replaceAll(",\"metrics_s\":[^,}]*", "")).toList();
    }

    @Test
    void everyPairGetsOneCompleteLineAndARerunComputesNothing() throws IOException {
        Evaluator.Outcome first = run(0);
        assertEquals(8, first.computed());
        List<String> lines = Files.readAllLines(out.resolve("results.jsonl"));
        assertEquals(8, lines.size());
        ResultRecord r = ResultRecord.parse(lines.get(1));
        assertEquals("img00.png", r.image());
        assertEquals("gradcam+ucag", r.method());
        assertEquals(17, r.deletionCurve().length); // 32*32 pixels, step 64: 16 steps
        assertEquals(CausalMetric.auc(r.deletionCurve()), r.score(Score.DELETION), 1e-12);
        assertNotNull(r.score(Score.POINTING));
        assertTrue(r.score(Score.ENERGY) >= 0 && r.score(Score.ENERGY) <= 1);
        assertEquals(r.insertionCurve()[16], r.deletionCurve()[0], 1e-6); // both score the intact image
        assertEquals(r.targetProbability(), r.deletionCurve()[0], 1e-5);
        assertTrue(Files.isRegularFile(out.resolve("thumbs/img00.png_0/gradcam+ucag.png")));
        assertTrue(Files.readString(out.resolve("report.html")).contains("data:image/png;base64,"));
        assertTrue(Files.readString(out.resolve("summary.md")).contains("| gradcam+ucag | 4 |"));

        Evaluator.Outcome again = run(0);
        assertEquals(0, again.computed());
        assertEquals(8, again.skipped());
        assertEquals(lines, Files.readAllLines(out.resolve("results.jsonl")));
    }

    @Test
    void aLimitedRunThenAFullRunEqualsOneFullRun() throws IOException {
        run(0);
        List<String> whole = withoutTimes(out.resolve("results.jsonl"));
        Path first = out.resolve("results.jsonl");
        Files.delete(first);
        assertEquals(4, run(2).computed());
        assertEquals(4, run(0).computed());
        assertEquals(whole, withoutTimes(first));
    }
}
