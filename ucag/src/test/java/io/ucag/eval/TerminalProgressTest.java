package io.ucag.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.eval.run.TerminalProgress;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TerminalProgressTest {
    private final long[] now = {0};

    @Test
    void plainLinesAtMostEveryIntervalAndAtTheEnd() {
        StringWriter text = new StringWriter();
        TerminalProgress p = new TerminalProgress(new PrintWriter(text), false, 10, () -> now[0]);
        p.start(4, 2);
        now[0] = 2_000_000_000L;
        p.advance("a.JPEG", "gradcam"); // 2 s: too soon for a line
        now[0] = 12_000_000_000L;
        p.advance("a.JPEG", "layercam"); // 12 s: a line, 6 s per pair, 2 left
        now[0] = 13_000_000_000L;
        p.advance("b.JPEG", "gradcam");
        now[0] = 16_000_000_000L;
        p.advance("b.JPEG", "layercam"); // the last: always a line
        p.finish();
        String[] lines = text.toString().split("\n");
        assertEquals(3, lines.length, text.toString());
        assertEquals("evaluate: 4 (image, method) pair(s) to compute over 2 image(s)", lines[0]);
        assertEquals("[############------------] 2/4  50%  6.00 s/pair  ETA 12s  a.JPEG layercam", lines[1]);
        assertTrue(lines[2].startsWith("[########################] 4/4 100%  4.00 s/pair  ETA 0s"), lines[2]);
    }

    @Test
    void aTerminalIsRedrawnInPlace() {
        StringWriter text = new StringWriter();
        TerminalProgress p = new TerminalProgress(new PrintWriter(text), true, 10, () -> now[0]);
        p.start(2, 1);
        now[0] = 1_000_000_000L;
        p.advance("long-name.JPEG", "gradcam");
        now[0] = 2_000_000_000L;
        p.advance("x", "m");
        p.finish();
        String out = text.toString();
        assertEquals(2, out.chars().filter(c -> c == '\r').count());
        assertTrue(out.endsWith("\n"));
    }
}
