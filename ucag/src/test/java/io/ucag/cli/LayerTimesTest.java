package io.ucag.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.runtime.PropertyOverride;
import org.junit.jupiter.api.Test;

/** The peak that bench's %peak column divides by. */
class LayerTimesTest {
    private static final String H100 = "opencl:NVIDIA CUDA / NVIDIA H100 80GB HBM3 (GPU)";
    private static final String POCL = "opencl:Portable Computing Language / pthread-skylake-avx512-AMD EPYC (CPU)";

    @Test
    void cpusGetTheCiMachinesPeakAndGpusNoneUnlessOneIsSet() {
        try (PropertyOverride p = PropertyOverride.of(LayerTimes.PEAK_PROPERTY, null)) {
            assertEquals(196, LayerTimes.peakGflops(POCL));
            assertEquals(196, LayerTimes.peakGflops("java (2 threads, Vector API)"));
            assertTrue(Double.isNaN(LayerTimes.peakGflops(H100)), "a GPU's peak is not this machine's");
            System.setProperty(LayerTimes.PEAK_PROPERTY, "51200");
            assertEquals(51200, LayerTimes.peakGflops(H100));
            System.setProperty(LayerTimes.PEAK_PROPERTY, "fast");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> LayerTimes.peakGflops(H100));
            assertEquals("-Ducag.bench.peakGflops must be a number of GFLOP/s, got 'fast'", e.getMessage());
        }
    }
}
