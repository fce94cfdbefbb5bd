package io.ucag.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ucag evaluate} as a separate process, killed with SIGKILL mid-run and started again: the resumed
 * results must equal those of a run that was never interrupted (timings aside), with no torn or repeated line.
 */
class EvaluateKillResumeTest {
    private static final int IMAGES = 8;
    private static final int METHODS = 4; // gradcam, gradcam+ucag, layercam, layercam+ucag

    @TempDir
    Path dir;

    private List<String> command(Path out) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path data = dir.resolve("data");
        return List.of(java.toString(), "-cp", System.getProperty("java.class.path"), "-Xmx512m",
                "-Djava.util.logging.config.file=nonexistent", EvaluateChild.class.getName(),
                "evaluate", "--images", data.toString(), "--labels", data.resolve("labels.csv").toString(),
                "--boxes", data.resolve("boxes.csv").toString(), "--model", TinyNet.NAME,
                "--weights", dir.resolve("tiny.safetensors").toString(), "--device", "java", "--crop", "none",
                "--methods", "gradcam,layercam", "--ucag", "--n", "2", "--rho", "0.6", "--alpha", "1.5",
                "--step", "16", "--batch", "8", "--gallery", "4", "--out", out.toString());
    }

    private Process start(Path out, String log) throws IOException {
        return new ProcessBuilder(command(out)).redirectErrorStream(true)
                .redirectOutput(dir.resolve(log).toFile()).start();
    }

    private void finish(Process p, String log) throws Exception {
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "evaluate did not finish in 2 minutes");
        assertEquals(0, p.exitValue(), () -> "evaluate failed:\n" + read(dir.resolve(log)));
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static int lines(Path file) throws IOException {
        try {
            byte[] b = Files.readAllBytes(file);
            int n = 0;
            for (byte x : b) {
                n += x == '\n' ? 1 : 0;
            }
            return n;
        } catch (NoSuchFileException e) {
            return 0;
        }
    }

    private static List<String> withoutTimes(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        for (String l : Files.readAllLines(file)) {
            out.add(l.replaceAll(",\"explain_s\":[^,}]*", "").replaceAll(",\"metrics_s\":[^,}]*", ""));
        }
        return out;
    }

    @Test
    void aKilledRunResumesToTheSameResults() throws Exception {
        TinyNet.dataset(dir.resolve("data"), IMAGES, 40, 36, 21);
        TinyNet.save(dir.resolve("tiny.safetensors"), 5);

        Path whole = dir.resolve("whole");
        finish(start(whole, "whole.log"), "whole.log");
        Path resultsWhole = whole.resolve("results.jsonl");
        assertEquals(IMAGES * METHODS, lines(resultsWhole));

        Path killed = dir.resolve("killed");
        Path resultsKilled = killed.resolve("results.jsonl");
        Process p = start(killed, "killed.log");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (lines(resultsKilled) < 3 && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        p.destroyForcibly(); // SIGKILL: no shutdown hooks, no flushing
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        int done = lines(resultsKilled);
        assertTrue(done >= 3 && done < IMAGES * METHODS, "the kill should land mid-run; lines: " + done + "\n"
                + read(dir.resolve("killed.log")));
        // What a crash during a write could leave, on top: a torn last line.
        String next = Files.readAllLines(resultsWhole).get(done);
        Files.writeString(resultsKilled, next.substring(0, next.length() / 2), StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);

        finish(start(killed, "resumed.log"), "resumed.log");
        assertTrue(read(dir.resolve("resumed.log")).contains((IMAGES * METHODS - done) + " result(s) computed, "
                + done + " already done"), read(dir.resolve("resumed.log")));
        List<String> resumed = withoutTimes(resultsKilled);
        assertEquals(withoutTimes(resultsWhole), resumed);
        assertEquals(resumed.size(), new HashSet<>(resumed).size(), "a line is repeated");
        assertEquals(Files.readString(whole.resolve("summary.csv")), Files.readString(killed.resolve("summary.csv")));
        assertTrue(Files.readString(killed.resolve("report.html")).contains("data:image/png;base64,"));
    }
}
