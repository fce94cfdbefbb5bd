package io.ucag.cli;

import io.ucag.kernels.bench.ConvBenchmark;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench-conv}: GFLOP/s of the ResNet50 convolution shapes on each device, against the machine's peak. */
@Command(name = "bench-conv", description = "Time the ResNet50 convolution shapes (batch 1 and 16); print GFLOP/s "
        + "and % of peak (-Ducag.bench.peakGflops, default 196).")
final class BenchConv implements Callable<Integer> {
    @Option(names = "--device", defaultValue = "all", paramLabel = "all|auto|opencl|java",
            description = "Device(s) to time (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--runs", defaultValue = "5", description = "Timed runs per shape; the median is printed.")
    int runs;

    @Override
    public Integer call() {
        ConvBenchmark.run(System.out, device, runs);
        return 0;
    }
}
