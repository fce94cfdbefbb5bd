package io.ucag.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.eval.metrics.EnergyPointingGame;
import io.ucag.eval.metrics.MapDensity;
import io.ucag.eval.metrics.PointingGame;
import io.ucag.runtime.Shape;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.java.JavaDevice;
import org.junit.jupiter.api.Test;

/** Pointing game, energy-based pointing game and map density on hand-made maps. */
class MapScoresTest {
    private static final int SIDE = 40;

    /** A map whose maximum is at (u, v) = (10, 10). */
    private static float[] peakAt10() {
        float[] m = new float[SIDE * SIDE];
        m[10 * SIDE + 10] = 1f;
        return m;
    }

    private static boolean[] columnsFrom(int x0) {
        boolean[] r = new boolean[SIDE * SIDE];
        for (int y = 0; y < SIDE; y++) {
            for (int x = x0; x < SIDE; x++) {
                r[y * SIDE + x] = true;
            }
        }
        return r;
    }

    @Test
    void pointingHitsStrictlyWithinTheTolerance() {
        assertTrue(PointingGame.hit(peakAt10(), columnsFrom(24), SIDE, 15)); // 14 px away
        assertFalse(PointingGame.hit(peakAt10(), columnsFrom(25), SIDE, 15)); // exactly 15 px: 225 < 225 fails
        assertTrue(PointingGame.hit(peakAt10(), columnsFrom(10), SIDE, 15)); // on the object
        assertFalse(PointingGame.hit(peakAt10(), columnsFrom(10), SIDE, 0)); // TorchRay: tolerance 0 never hits
    }

    @Test
    void pointingToleranceIsADisc() {
        boolean[] r = new boolean[SIDE * SIDE];
        r[21 * SIDE + 20] = true; // dx 10, dy 11: 221 < 225
        assertTrue(PointingGame.hit(peakAt10(), r, SIDE, 15));
        r[21 * SIDE + 20] = false;
        r[21 * SIDE + 21] = true; // dx 11, dy 11: 242
        assertFalse(PointingGame.hit(peakAt10(), r, SIDE, 15));
    }

    @Test
    void theFirstMaximumWins() {
        float[] m = new float[] {0, 3, 1, 3, Float.NaN, 3};
        assertEquals(1, PointingGame.argmax(m));
        assertThrows(IllegalArgumentException.class, () -> PointingGame.argmax(new float[] {Float.NaN}));
    }

    @Test
    void energyIsTheShareOfTheNormalisedMapInTheRegion() {
        float[] map = {-1f, 0f, 1f, 3f}; // ReLU + min-max: 0, 0, 1/3, 1
        assertEquals(0.25, EnergyPointingGame.energy(map, new boolean[] {false, false, true, false}), 1e-7);
        assertEquals(0.75, EnergyPointingGame.energy(map, new boolean[] {true, true, false, true}), 1e-7);
        assertEquals(1.0, EnergyPointingGame.energy(map, new boolean[] {true, true, true, true}), 1e-7);
        assertTrue(Double.isNaN(EnergyPointingGame.energy(new float[] {-1f, -2f}, new boolean[] {true, false})));
    }

    @Test
    void densityDividesTheMaskedConfidenceByTheMeanMask() {
        try (JavaDevice d = new JavaDevice(1); TensorScope scope = TensorScope.open()) {
            float[] image = new float[12];
            java.util.Arrays.fill(image, 0, 4, 1f);
            float[] w = {1f, 0.5f, 0f, -0.5f, 0, 0, 0, 0, 0, 0, 0, 0};
            // M = (0, 0, 1/3, 1): z(I*M) = -0.5, mean M = 1/3; 1-M = (1, 1, 2/3, 0): z = 1.5, mean 2/3
            MapDensity.Densities dd = MapDensity.of(d, new LinearClassifier(d, w, 2, 2),
                    d.fromArray(Shape.of(1, 3, 2, 2), image), new float[] {-1f, 0f, 1f, 3f}, 0);
            assertEquals(1.1326220064, dd.positive(), 1e-6);
            assertEquals(1.2263617143, dd.negative(), 1e-6);
        }
    }

    @Test
    void densityOfAnEmptyMapIsUndefined() {
        try (JavaDevice d = new JavaDevice(1); TensorScope scope = TensorScope.open()) {
            float[] w = new float[12];
            MapDensity.Densities dd = MapDensity.of(d, new LinearClassifier(d, w, 2, 2),
                    d.fromArray(Shape.of(1, 3, 2, 2), new float[12]), new float[] {-1f, -1f, -1f, -1f}, 0);
            assertTrue(Double.isNaN(dd.positive()));
            assertEquals(0.5, dd.negative(), 1e-7); // M = 0: the complement is the whole image, z = 0
        }
    }
}
