package io.ucag.models.arch;

/** Checks the width argument of the narrow builders of {@link Vgg} and {@link ResNet}. */
final class WidthDivisor {
    /** The narrowest width of both families (VGG's first convolution, ResNet's stem): 64. */
    private static final int SMALLEST_WIDTH = 64;

    private WidthDivisor() {
    }

    /** Accepts a power of two from 1 to 64, so that every width of the network divides exactly. */
    static void check(int widthDivisor, String family) {
        if (widthDivisor < 1 || widthDivisor > SMALLEST_WIDTH || Integer.bitCount(widthDivisor) != 1) {
            throw new IllegalArgumentException(family + " width divisor must be a power of two from 1 to "
                    + SMALLEST_WIDTH + ", got " + widthDivisor);
        }
    }
}
