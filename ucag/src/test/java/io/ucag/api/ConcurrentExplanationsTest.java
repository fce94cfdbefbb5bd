package io.ucag.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ucag.eval.TinyNet;
import io.ucag.explain.Explainer;
import io.ucag.explain.UcagOptions;
import io.ucag.runtime.Device;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One network shared by two threads that explain at the same time -- every registered method and UCAG-GradCAM
 * (micro-batches of patches through autograd), the threads in opposite orders so that different methods overlap
 * -- gives exactly the maps of the same explanations run one after the other, on both devices.
 */
class ConcurrentExplanationsTest {
    private static final int THREADS = 2;
    private static final int ROUNDS = 2;

    @TempDir
    Path dir;

    private record Job(InputImage input, Explainer method, int target) {
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "opencl"})
    void twoThreadsOnOneNetworkGiveTheSequentialMaps(String kind) throws Exception {
        try (Device device = TinyNetworks.open(kind); Network net = TinyNetworks.load(device, dir, 21)) {
            List<Job> jobs = new ArrayList<>();
            Explainer ucag = Explainers.ucag(Explainers.byName("gradcam"), UcagOptions.PAPER.withN(3));
            for (int i = 0; i < 2; i++) {
                InputImage in = net.prepare(TinyNetworks.photo(100 + i, 40, 36));
                jobs.add(new Job(in, ucag, i));
                for (String name : Explainers.names()) {
                    jobs.add(new Job(in, Explainers.byName(name), (jobs.size() + i) % TinyNet.CLASSES));
                }
            }
            List<float[]> sequential = new ArrayList<>();
            for (Job j : jobs) {
                sequential.add(net.explain(j.input(), j.method(), j.target()).map());
            }
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                CyclicBarrier start = new CyclicBarrier(THREADS);
                List<Future<List<float[]>>> results = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    boolean reversed = t % 2 == 1; // the threads run different methods at the same moment
                    results.add(pool.submit(() -> {
                        start.await();
                        List<float[]> maps = new ArrayList<>();
                        for (int r = 0; r < ROUNDS; r++) {
                            for (int k = 0; k < jobs.size(); k++) {
                                Job j = jobs.get(reversed ? jobs.size() - 1 - k : k);
                                maps.add(net.explain(j.input(), j.method(), j.target()).map());
                            }
                        }
                        return maps;
                    }));
                }
                for (int t = 0; t < THREADS; t++) {
                    List<float[]> maps = results.get(t).get(5, TimeUnit.MINUTES);
                    assertEquals(ROUNDS * jobs.size(), maps.size());
                    for (int m = 0; m < maps.size(); m++) {
                        int k = m % jobs.size();
                        int job = t % 2 == 1 ? jobs.size() - 1 - k : k;
                        assertArrayEquals(sequential.get(job), maps.get(m), kind + ": thread " + t + ", map " + m
                                + " (" + jobs.get(job).method().name() + ") differs from the sequential run");
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
