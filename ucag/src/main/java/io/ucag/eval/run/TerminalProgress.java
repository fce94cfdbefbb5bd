package io.ucag.eval.run;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A progress bar with rate and ETA: redrawn in place ({@code \r}) on a terminal, or, when the output is not a
 * terminal (a log file, a pipe), one plain line at most every {@code interval} seconds and at the end.
 */
public final class TerminalProgress implements Progress {
    private static final int WIDTH = 24;

    private final PrintWriter out;
    private final boolean terminal;
    private final double intervalSeconds;
    private final LongSupplier clock; // nanoseconds
    private long startNanos;
    private long lastLineNanos;
    private int total;
    private int done;
    private int lastLength;

    public TerminalProgress(PrintWriter out, boolean terminal, double intervalSeconds, LongSupplier clock) {
        this.out = out;
        this.terminal = terminal;
        this.intervalSeconds = intervalSeconds;
        this.clock = clock;
    }

    /** On {@code out}, redrawn in place when {@code terminal}, else a line every 10 s. */
    public TerminalProgress(PrintWriter out, boolean terminal) {
        this(out, terminal, 10, System::nanoTime);
    }

    @Override
    public void start(int totalPairs, int images) {
        total = totalPairs;
        done = 0;
        startNanos = clock.getAsLong();
        lastLineNanos = startNanos;
        out.printf(Locale.ROOT, "evaluate: %d (image, method) pair(s) to compute over %d image(s)%n", totalPairs,
                images);
        out.flush();
    }

    @Override
    public void advance(String image, String method) {
        done++;
        long now = clock.getAsLong();
        String status = status(now, image + " " + method);
        if (terminal) {
            String padded = status.length() < lastLength ? status + " ".repeat(lastLength - status.length()) : status;
            out.print("\r" + padded);
            lastLength = status.length();
            out.flush();
        } else if ((now - lastLineNanos) / 1e9 >= intervalSeconds || done == total) {
            out.println(status);
            out.flush();
            lastLineNanos = now;
        }
    }

    @Override
    public void finish() {
        if (terminal && lastLength > 0) {
            out.println();
        }
        out.flush();
    }

    /** e.g. {@code [######------] 12/48  25%  3.1 s/pair  ETA 1m52s  img.JPEG gradcam}. */
    String status(long now, String what) {
        double elapsed = (now - startNanos) / 1e9;
        int filled = total == 0 ? WIDTH : (int) ((long) WIDTH * done / total);
        StringBuilder sb = new StringBuilder("[").append("#".repeat(filled)).append("-".repeat(WIDTH - filled))
                .append("] ").append(done).append('/').append(total);
        sb.append(String.format(Locale.ROOT, " %3d%%", total == 0 ? 100 : 100 * done / total));
        if (done > 0) {
            double perPair = elapsed / done;
            sb.append(String.format(Locale.ROOT, "  %.2f s/pair  ETA %s", perPair,
                    duration(perPair * (total - done))));
        }
        return sb.append("  ").append(what).toString();
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
        }
        if (s >= 60) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return s + "s";
    }
}
