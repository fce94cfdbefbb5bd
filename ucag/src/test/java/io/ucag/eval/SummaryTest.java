package io.ucag.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.eval.report.HtmlReport;
import io.ucag.eval.report.Statistics;
import io.ucag.eval.report.Summary;
import io.ucag.eval.run.ResultRecord;
import io.ucag.eval.run.Score;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SummaryTest {
    @TempDir
    Path dir;

    @Test
    void tIntervalOfASmallSample() {
        Statistics.Interval i = Statistics.mean(new double[] {1, 2, 3, 4});
        // sd = sqrt(5/3), se = sd / 2, t(3) = 3.18245
        assertEquals(2.5, i.mean(), 1e-12);
        assertEquals(2.5 - 3.18245 * Math.sqrt(5.0 / 3) / 2, i.low(), 1e-9);
        assertEquals(2.5 + 3.18245 * Math.sqrt(5.0 / 3) / 2, i.high(), 1e-9);
        assertTrue(Double.isNaN(Statistics.mean(new double[] {7}).low()));
    }

    @Test
    void tQuantiles() {
        assertEquals(12.7062, Statistics.t975(1), 1e-4);
        assertEquals(2.04227, Statistics.t975(30), 1e-5);
        assertEquals(2.039513, Statistics.t975(31), 1e-6);
        assertEquals(1.983972, Statistics.t975(100), 1e-6);
        assertEquals(1.9599664, Statistics.t975(1_000_000), 1e-6); // z + (z^3 + z) / (4 df)
    }

    @Test
    void classMeansAverageClassesNotSamples() {
        double[] v = {1, 0, 1, 1};
        int[] classes = {0, 0, 1, 2};
        assertEquals((0.5 + 1 + 1) / 3, Statistics.classMean(v, classes), 1e-12);
        Statistics.Interval i = Statistics.classMeanInterval(v, classes);
        assertTrue(i.low() <= i.mean() && i.mean() <= i.high());
        assertEquals(i, Statistics.classMeanInterval(v, classes)); // seeded: reproducible
        Statistics.Interval constant = Statistics.classMeanInterval(new double[] {1, 1, 1}, new int[] {0, 1, 2});
        assertEquals(1.0, constant.low());
        assertEquals(1.0, constant.high());
    }

    private static ResultRecord r(String image, int label, String method, Double deletion, Double insertion,
                                  Double pointing) {
        Map<Score, Double> s = new EnumMap<>(Score.class);
        s.put(Score.DELETION, deletion);
        s.put(Score.INSERTION, insertion);
        s.put(Score.POINTING, pointing);
        return new ResultRecord(image, label, method, label, label, 0.5, s, null, null, 1.0, 2.0);
    }

    static List<ResultRecord> records() {
        List<ResultRecord> rs = new ArrayList<>();
        double[] baseDel = {0.3, 0.2, 0.4};
        double[] ucagDel = {0.2, 0.1, 0.35};
        double[] baseIns = {0.6, 0.7, 0.8};
        double[] ucagIns = {0.5, 0.6, 0.7};
        for (int i = 0; i < 3; i++) {
            rs.add(r("im" + i, i, "gradcam", baseDel[i], baseIns[i], i == 2 ? null : 1.0));
        }
        for (int i = 0; i < 3; i++) {
            rs.add(r("im" + i, i, "gradcam+ucag", ucagDel[i], ucagIns[i], i == 2 ? null : 0.0));
        }
        rs.add(r("im0", 0, "layercam", 0.5, 0.5, 1.0));
        return rs;
    }

    @Test
    void pairedDifferencesAndVerdicts() {
        Summary s = Summary.of(records());
        assertEquals(List.of("gradcam", "gradcam+ucag", "layercam"), s.methods());
        assertEquals(List.of(Score.DELETION, Score.INSERTION, Score.POINTING), s.scores());
        Statistics.Interval d = s.difference("gradcam", Score.DELETION);
        // differences -0.1, -0.1, -0.05: mean -1/12, sd 0.028868, t(2) = 4.30265
        assertEquals(-1.0 / 12, d.mean(), 1e-12);
        double half = 4.30265 * Math.sqrt(1.0 / 1200) / Math.sqrt(3);
        assertEquals(-1.0 / 12 - half, d.low(), 1e-9);
        assertEquals(Summary.Verdict.BETTER, Summary.verdict(Score.DELETION, d)); // lower deletion is better
        Statistics.Interval ins = s.difference("gradcam", Score.INSERTION);
        assertEquals(-0.1, ins.mean(), 1e-12);
        assertEquals(Summary.Verdict.WORSE, Summary.verdict(Score.INSERTION, ins));
        assertEquals(2, s.value("gradcam", Score.POINTING).n()); // the sample without ground truth is left out
        assertEquals(1.0, s.value("gradcam", Score.POINTING).mean());
        assertEquals(-1.0, s.difference("gradcam", Score.POINTING).mean());
        assertNull(s.difference("layercam", Score.DELETION));
        assertEquals(2.0, s.timing("gradcam").metricSeconds());
    }

    @Test
    void markdownCsvAndHtml() throws IOException {
        Summary s = Summary.of(records());
        String md = s.markdown("test run");
        assertTrue(md.contains("| gradcam | 3 | 0.3000 ["), md);
        assertTrue(md.contains("| gradcam | -0.0833 ["), md);
        assertTrue(md.contains("better"), md);
        String csv = s.csv();
        assertTrue(csv.startsWith("method,score,kind,n,mean,ci_low,ci_high,verdict\n"), csv);
        assertTrue(csv.contains("gradcam+ucag,deletion,ucag_minus_base,3,-0.083333,"), csv);
        assertTrue(csv.contains("layercam,deletion,value,1,0.500000,,,\n"), csv);
        String html = HtmlReport.render(s, "test <run>", records(), dir, 2, i -> "class" + i);
        assertTrue(html.contains("test &lt;run&gt;"));
        assertTrue(html.contains("Gallery (first 2 of 3 samples)"), html);
        assertFalse(html.contains("http://") || html.contains("https://") || html.contains("<script"));
    }
}
