package io.ucag.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code evaluate}'s usage and argument errors (no model is loaded: each fails before that). */
class EvaluateCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    @TempDir
    Path dir;

    private int run(String... args) {
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private String[] args(String... extra) throws IOException {
        Files.write(dir.resolve("n01440764_tench.JPEG"), new byte[] {1});
        String[] base = {"evaluate", "--images", dir.toString(), "--out", dir.resolve("out").toString(),
            "--device", "java"};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return all;
    }

    @Test
    void helpListsTheOptions() {
        assertEquals(0, run("evaluate", "--help"));
        for (String option : new String[] {"--images", "--boxes", "--voc", "--coco", "--methods", "--metrics",
            "--step", "--limit", "--out", "--ucag"}) {
            assertTrue(out.toString().contains(option), option + " missing from:\n" + out);
        }
    }

    @Test
    void missingRequiredOptionsAreUsageErrors() {
        assertEquals(2, run("evaluate", "--out", "x"));
        assertTrue(err.toString().contains("--images"), err.toString());
    }

    @Test
    void badValuesFailWithOneLineNamingThem() throws IOException {
        assertEquals(1, run(args("--metrics", "deletion,accuracy")));
        assertTrue(err.toString().startsWith("ucag evaluate: unknown metric 'accuracy'"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(1, run(args("--methods", "gradcam,occlusion")));
        assertTrue(err.toString().contains("unknown method 'occlusion'"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(1, run(args("--target", "top5")));
        assertTrue(err.toString().contains("--target must be label or predicted"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(1, run(args("--labels", "a.csv", "--voc", "ann")));
        assertTrue(err.toString().contains("give one of --labels, --voc and --coco"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(1, run(args("--batch", "0")));
        assertTrue(err.toString().contains("--batch must be >= 1"), err.toString());
    }
}
