package io.ucag.cli;

import io.ucag.explain.UcagOptions;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The UCAG flags of {@code explain} (paper defaults). */
final class UcagFlags {
    @Option(names = "--ucag", description = "Also explain with UCAG around the method.")
    boolean enabled;

    @Option(names = "--n", defaultValue = "6", description = "Patches per side (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--rho", description = "Patch side as a fraction of the image side (default: 0.555).")
    Double rho;

    @Option(names = "--crop-px", description = "Patch side in pixels (instead of --rho; 124 for a 224 input).")
    Integer cropPixels;

    @Option(names = "--alpha", defaultValue = "2.6", description = "Patch upsampling factor (default: ${DEFAULT-VALUE}).")
    double alpha;

    @Option(names = "--micro-batch", defaultValue = "12",
            description = "Patches explained per batch; bounds memory (default: ${DEFAULT-VALUE}).")
    int microBatch;

    @Option(names = "--no-weighting", description = "Do not weight patch maps by exp(confidence).")
    boolean noWeighting;

    @Option(names = "--fold", defaultValue = "standard", paramLabel = "standard|reference",
            description = "standard: the paper (divide by Gamma); reference: the released code (exp(p)/max, Gamma+1).")
    String fold;

    /** The options, or null when --ucag is off; invalid values fail with the flag's name. */
    UcagOptions options() {
        if (rho != null && cropPixels != null) {
            throw new IllegalArgumentException("give --rho or --crop-px, not both");
        }
        UcagOptions.Fold f = switch (fold.toLowerCase(Locale.ROOT)) {
            case "standard" -> UcagOptions.Fold.STANDARD;
            case "reference" -> UcagOptions.Fold.REFERENCE;
            default -> throw new IllegalArgumentException("--fold must be standard or reference, got '" + fold + "'");
        };
        UcagOptions o = new UcagOptions(n, rho != null ? rho : UcagOptions.PAPER.rho(),
                cropPixels != null ? requirePositive(cropPixels) : 0, alpha, microBatch, !noWeighting, f);
        return enabled ? o : null;
    }

    private static int requirePositive(int cropPixels) {
        if (cropPixels < 1) {
            throw new IllegalArgumentException("--crop-px must be >= 1, got " + cropPixels);
        }
        return cropPixels;
    }
}
