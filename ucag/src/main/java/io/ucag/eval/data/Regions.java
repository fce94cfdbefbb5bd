package io.ucag.eval.data;

import java.util.List;

/** Ground-truth regions rasterised on the model's input grid (side x side, row-major). */
public final class Regions {
    private Regions() {
    }

    /**
     * The union of boxes (already on the input grid): every pixel a box overlaps with positive area, i.e. columns
     * floor(x0) .. ceil(x1) - 1. For VOC's 1-based inclusive corners this is exactly TorchRay's
     * {@code mask[ymin-1:ymax, xmin-1:xmax] = 1}.
     */
    public static boolean[] boxes(List<Box> inputBoxes, int side) {
        boolean[] inside = new boolean[side * side];
        for (Box b : inputBoxes) {
            int c0 = (int) Math.floor(b.x0());
            int c1 = Math.min(side, (int) Math.ceil(b.x1()));
            int r0 = (int) Math.floor(b.y0());
            int r1 = Math.min(side, (int) Math.ceil(b.y1()));
            for (int r = Math.max(0, r0); r < r1; r++) {
                for (int c = Math.max(0, c0); c < c1; c++) {
                    inside[r * side + c] = true;
                }
            }
        }
        return inside;
    }

    /** The union of object masks, sampled at the centre of each input pixel mapped back to the file. */
    public static boolean[] masks(List<ObjectMask> masks, InputGeometry g) {
        int side = g.side();
        boolean[] inside = new boolean[side * side];
        for (int r = 0; r < side; r++) {
            double fy = g.fileY(r);
            for (int c = 0; c < side; c++) {
                double fx = g.fileX(c);
                for (ObjectMask m : masks) {
                    if (m.covers(fx, fy)) {
                        inside[r * side + c] = true;
                        break;
                    }
                }
            }
        }
        return inside;
    }

    /** Boxes of a file mapped to the input grid; those that fall outside the crop are dropped. */
    public static List<Box> toInput(List<Box> fileBoxes, InputGeometry g) {
        return fileBoxes.stream().map(g::toInput).filter(b -> b != null).toList();
    }

    public static boolean any(boolean[] region) {
        for (boolean b : region) {
            if (b) {
                return true;
            }
        }
        return false;
    }
}
