package io.ucag.eval.data;

/**
 * An object's bounding box in continuous pixel coordinates of an image grid: it covers [x0, x1) x [y0, y1), where
 * pixel (x, y) spans [x, x+1) x [y, y+1). A PASCAL VOC box with 1-based inclusive corners (xmin..xmax) is
 * {@code [xmin - 1, xmax)}; a COCO box {@code [x, y, w, h]} is {@code [x, x + w)}.
 *
 * @param difficult PASCAL VOC's flag; the pointing game skips a class whose boxes are all difficult (TorchRay)
 */
public record Box(double x0, double y0, double x1, double y1, boolean difficult) {
    public Box {
        if (!(Double.isFinite(x0) && Double.isFinite(y0) && Double.isFinite(x1) && Double.isFinite(y1))
                || x1 < x0 || y1 < y0) {
            throw new IllegalArgumentException("a box needs finite corners with x0 <= x1 and y0 <= y1, got ("
                    + x0 + ", " + y0 + ", " + x1 + ", " + y1 + ")");
        }
    }

    public Box(double x0, double y0, double x1, double y1) {
        this(x0, y0, x1, y1, false);
    }

    /** {@code x * sx - dx}, {@code y * sy - dy} applied to both corners. */
    public Box transformed(double sx, double sy, double dx, double dy) {
        return new Box(x0 * sx - dx, y0 * sy - dy, x1 * sx - dx, y1 * sy - dy, difficult);
    }

    /** The part inside [0, width) x [0, height), or null when nothing of positive area is left. */
    public Box clipped(int width, int height) {
        double a = Math.max(0, x0);
        double b = Math.max(0, y0);
        double c = Math.min(width, x1);
        double d = Math.min(height, y1);
        return c > a && d > b ? new Box(a, b, c, d, difficult) : null;
    }
}
