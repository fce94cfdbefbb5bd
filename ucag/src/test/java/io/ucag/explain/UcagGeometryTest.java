package io.ucag.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class UcagGeometryTest {

    @Test
    void paperDefaultsGiveA20PixelStride() {
        assertArrayEquals(new int[] {0, 20, 40, 60, 80, 100}, UcagGeometry.origins(224, 124, 6));
        assertEquals(124, UcagGeometry.patchSide(224, 0.555));
        assertEquals(322, UcagGeometry.upsampledSide(124, 2.6));
    }

    @Property
    void gammaEqualsABruteForceCountAndCoversEveryPixel(@ForAll @IntRange(min = 1, max = 40) int height,
                                                       @ForAll @IntRange(min = 1, max = 40) int width,
                                                       @ForAll @IntRange(min = 1, max = 8) int n,
                                                       @ForAll @IntRange(min = 1, max = 40) int patchH,
                                                       @ForAll @IntRange(min = 1, max = 40) int patchW) {
        if (patchH > height || patchW > width || (n == 1 && (patchH < height || patchW < width))) {
            return; // invalid, or a single patch that cannot cover the image (UCAG requires coverage)
        }
        int[] rows = UcagGeometry.origins(height, patchH, n);
        int[] cols = UcagGeometry.origins(width, patchW, n);
        assertEquals(0, rows[0]);
        assertEquals(height - patchH, rows[n - 1], "the last patch ends at the border");
        int[] gamma = UcagGeometry.coverage(height, width, patchH, patchW, n);
        int[] brute = new int[height * width];
        for (int oy : rows) {
            for (int ox : cols) {
                for (int y = oy; y < oy + patchH; y++) {
                    for (int x = ox; x < ox + patchW; x++) {
                        brute[y * width + x]++;
                    }
                }
            }
        }
        assertArrayEquals(brute, gamma);
        if (n == 1 || (patchH * n >= height && patchW * n >= width)) {
            for (int g : gamma) {
                assertTrue(g >= 1, "every pixel is covered");
            }
        }
    }

    @Test
    void rejectsPatchesLargerThanTheImage() {
        assertThrows(IllegalArgumentException.class, () -> UcagGeometry.origins(100, 101, 3));
        assertThrows(IllegalArgumentException.class, () -> UcagGeometry.origins(100, 50, 0));
    }
}
