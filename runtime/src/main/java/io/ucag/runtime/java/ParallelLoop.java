package io.ucag.runtime.java;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/** Splits an index range over the Java device's threads. */
public final class ParallelLoop {
    /** Body of a loop over the half-open range [from, to). */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    private final ForkJoinPool pool;
    private final int threads;

    ParallelLoop(int threads) {
        this.threads = threads;
        this.pool = threads > 1 ? new ForkJoinPool(threads) : null;
    }

    public int threads() {
        return threads;
    }

    /**
     * Runs {@code body} over [0, count) in contiguous chunks; runs inline when the work ({@code count *
     * costPerItem} multiply-adds or so) is too small to be worth a thread hand-off.
     */
    public void forRange(int count, long costPerItem, RangeBody body) {
        long work = (long) count * Math.max(1, costPerItem);
        if (pool == null || count < 2 || work < 32_768) {
            body.run(0, count);
            return;
        }
        int chunks = (int) Math.min(count, threads * 4L);
        List<ForkJoinTask<?>> tasks = new ArrayList<>(chunks);
        for (int c = 0; c < chunks; c++) {
            int from = (int) ((long) count * c / chunks);
            int to = (int) ((long) count * (c + 1) / chunks);
            tasks.add(pool.submit(() -> body.run(from, to)));
        }
        for (ForkJoinTask<?> t : tasks) {
            t.join();
        }
    }

    void shutdown() {
        if (pool != null) {
            pool.shutdown();
        }
    }
}
