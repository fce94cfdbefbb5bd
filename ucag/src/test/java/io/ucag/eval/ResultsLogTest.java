package io.ucag.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.eval.run.ResultRecord;
import io.ucag.eval.run.ResultsLog;
import io.ucag.eval.run.Score;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsLogTest {
    @TempDir
    Path dir;

    static ResultRecord record(String image, String method, double deletion) {
        Map<Score, Double> s = new EnumMap<>(Score.class);
        s.put(Score.DELETION, deletion);
        s.put(Score.POINTING, null);
        s.put(Score.DENSITY_POSITIVE, Double.NaN);
        return new ResultRecord(image, 3, method, 3, 4, 0.25, s, new float[] {0.1f, 1f / 3, 0f}, null, 1.23456, 0.5);
    }

    @Test
    void aRecordSurvivesItsJsonLine() {
        ResultRecord r = record("a b\"c.JPEG", "gradcam+ucag", 0.123456789);
        ResultRecord back = ResultRecord.parse(r.toJson());
        assertEquals(r.key(), back.key());
        assertEquals(0.123456789, back.score(Score.DELETION));
        assertTrue(back.scores().containsKey(Score.POINTING));
        assertNull(back.score(Score.POINTING));
        assertNull(back.score(Score.DENSITY_POSITIVE)); // NaN is written as null
        assertFalse(back.scores().containsKey(Score.ENERGY));
        assertArrayEquals(r.deletionCurve(), back.deletionCurve()); // floats exactly
        assertNull(back.insertionCurve());
        assertEquals(1.235, back.explainSeconds());
        assertEquals(r.toJson(), back.toJson());
    }

    @Test
    void appendsAndReadsBack() throws IOException {
        Path file = dir.resolve("results.jsonl");
        try (ResultsLog log = ResultsLog.open(file)) {
            log.append(record("a", "gradcam", 0.1));
            log.append(record("b", "gradcam", 0.2));
            assertThrows(IllegalStateException.class, () -> log.append(record("a", "gradcam", 0.3)));
        }
        try (ResultsLog log = ResultsLog.open(file)) {
            assertEquals(2, log.records().size());
            assertTrue(log.isDone(ResultRecord.key("b", 3, "gradcam")));
            assertFalse(log.isDone(ResultRecord.key("b", 3, "layercam")));
            log.append(record("b", "layercam", 0.2));
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals(3, lines.size());
        assertTrue(Files.readString(file).endsWith("\n"));
    }

    @Test
    void aTornLastLineIsCutAndRedone() throws IOException {
        Path file = dir.resolve("results.jsonl");
        try (ResultsLog log = ResultsLog.open(file)) {
            log.append(record("a", "gradcam", 0.1));
        }
        long good = Files.size(file);
        String full = record("b", "gradcam", 0.2).toJson();
        Files.writeString(file, full.substring(0, full.length() / 2), StandardOpenOption.APPEND);
        try (ResultsLog log = ResultsLog.open(file)) {
            assertEquals(1, log.records().size());
            assertEquals(good, Files.size(file));
            log.append(record("b", "gradcam", 0.2));
        }
        assertEquals(2, Files.readAllLines(file).size());
        Files.write(file, new byte[] {0, 0, 0, '\n'}, StandardOpenOption.APPEND); // zeroed tail after a crash
        try (ResultsLog log = ResultsLog.open(file)) {
            assertEquals(2, log.records().size());
        }
        assertEquals(2, Files.readAllLines(file).size());
    }

    @Test
    void garbageBeforeTheLastLineIsCorruption() throws IOException {
        Path file = dir.resolve("results.jsonl");
        Files.writeString(file, "not json\n" + record("a", "gradcam", 0.1).toJson() + "\n", StandardCharsets.UTF_8);
        IOException e = assertThrows(IOException.class, () -> ResultsLog.open(file));
        assertTrue(e.getMessage().contains("results.jsonl:1"), e.getMessage());
    }

    @Test
    void aSecondWriterIsRefused() throws IOException {
        Path file = dir.resolve("results.jsonl");
        try (ResultsLog log = ResultsLog.open(file)) {
            IOException e = assertThrows(IOException.class, () -> ResultsLog.open(file));
            assertTrue(e.getMessage().contains("another evaluate"), e.getMessage());
        }
        ResultsLog.open(file).close(); // released with the first
    }
}
