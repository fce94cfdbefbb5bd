package io.ucag.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.eval.data.Box;
import io.ucag.eval.data.InputGeometry;
import io.ucag.eval.data.Regions;
import io.ucag.models.Preprocessing;
import io.ucag.models.image.InputTransform;
import io.ucag.models.image.InputTransform.Crop;
import io.ucag.models.image.RgbImage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Boxes from the file's pixel grid to the model's input grid, under both crop modes. */
class GeometryTest {
    private static final Preprocessing P = Preprocessing.TORCHVISION;

    private static void assertBox(double x0, double y0, double x1, double y1, Box b) {
        assertArrayEquals(new double[] {x0, y0, x1, y1}, new double[] {b.x0(), b.y0(), b.x1(), b.y1()}, 1e-9);
    }

    @Test
    void noCropScales227To224() {
        InputGeometry g = InputGeometry.of(227, 227, P, Crop.NONE);
        double s = 224.0 / 227;
        assertBox(0, 0, 224, 224, g.toInput(new Box(0, 0, 227, 227)));
        assertBox(51.8 * s, 61.3 * s, 199.1 * s, 214.7 * s, g.toInput(new Box(51.8, 61.3, 199.1, 214.7)));
        assertEquals(0.5 / s, g.fileX(0), 1e-12); // the centre of input column 0
    }

    @Test
    void centreCropResizesTo256ThenShiftsBy16() {
        InputGeometry g = InputGeometry.of(227, 227, P, Crop.CENTER);
        double s = 256.0 / 227;
        assertEquals(16, g.left());
        assertEquals(16, g.top());
        assertBox(0, 0, 224, 224, g.toInput(new Box(0, 0, 227, 227)));
        assertBox(0, 0, 20 * s - 16, 30 * s - 16, g.toInput(new Box(10, 10, 20, 30)));
        assertNull(g.toInput(new Box(0, 0, 14, 227))); // 14 * 256/227 = 15.8 < 16: cropped away
    }

    @Test
    void centreCropOfAWideImageMatchesInputTransform() {
        // 500 x 375, white left of file x = 250, black right: the edge must land at 250 * 341/500 - 58 = 112.5
        int w = 500;
        int h = 375;
        byte[] px = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < 250; x++) {
                for (int c = 0; c < 3; c++) {
                    px[(y * w + x) * 3 + c] = (byte) 255;
                }
            }
        }
        RgbImage fitted = InputTransform.fit(new RgbImage(w, h, px), P, Crop.CENTER);
        InputGeometry g = InputGeometry.of(w, h, P, Crop.CENTER);
        Box edge = g.toInput(new Box(0, 0, 250, 375));
        assertEquals(112.5, edge.x1(), 1e-9);
        assertEquals(255, fitted.component(100, 111, 0));
        assertEquals(0, fitted.component(100, 113, 0));
        assertTrue(Math.abs(fitted.component(100, 112, 0) - 128) <= 2, "pixel 112 straddles the edge: half white, "
                + "got " + fitted.component(100, 112, 0));
    }

    @Test
    void masksAreSampledAtInputPixelCentres() {
        // a 20 x 10 file whose left half [0, 10) is the object; input 4 x 4 (no crop): columns 0 and 1 inside
        Preprocessing p = new Preprocessing(false, 1f, new float[3], new float[] {1, 1, 1}, 4, 4);
        InputGeometry g = InputGeometry.of(20, 10, p, Crop.NONE);
        boolean[] r = Regions.masks(List.of(new io.ucag.eval.data.ObjectMask.Polygons(
                List.of(new double[] {0, 0, 10, 0, 10, 10, 0, 10}))), g);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                assertEquals(x < 2, r[y * 4 + x], "pixel " + x + "," + y);
            }
        }
    }

    @Test
    void boxesCoverEveryPixelTheyOverlap() {
        boolean[] r = Regions.boxes(List.of(new Box(1.5, 0, 3, 1)), 4);
        boolean[] expected = new boolean[16];
        expected[1] = true;
        expected[2] = true;
        assertArrayEquals(expected, r);
        // VOC xmin=2..xmax=3 (1-based, inclusive) is [1, 3): 0-based pixels 1 and 2, as TorchRay's mask
        assertArrayEquals(expected, Regions.boxes(List.of(new Box(2 - 1, 1 - 1, 3, 1)), 4));
    }
}
