package io.ucag.eval.data;

import java.awt.geom.Path2D;
import java.util.List;

/** An object's segmentation in the pixel grid of its image file (COCO polygons or RLE). */
public sealed interface ObjectMask {
    /** True when the point (x, y), in continuous file pixel coordinates, lies on the object. */
    boolean covers(double x, double y);

    /** COCO polygons: each ring is x0,y0,x1,y1,... in file pixels; the object is their union (even-odd inside). */
    final class Polygons implements ObjectMask {
        private final List<Path2D> paths;

        public Polygons(List<double[]> rings) {
            this.paths = rings.stream().map(Polygons::path).toList();
        }

        private static Path2D path(double[] ring) {
            if (ring.length < 6 || ring.length % 2 != 0) {
                throw new IllegalArgumentException("a polygon needs at least 3 (x, y) points, got " + ring.length
                        + " numbers");
            }
            Path2D.Double path = new Path2D.Double(Path2D.WIND_EVEN_ODD);
            path.moveTo(ring[0], ring[1]);
            for (int i = 2; i < ring.length; i += 2) {
                path.lineTo(ring[i], ring[i + 1]);
            }
            path.closePath();
            return path;
        }

        @Override
        public boolean covers(double x, double y) {
            for (Path2D p : paths) {
                if (p.contains(x, y)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * COCO run-length encoding of a height x width mask in column-major order: counts alternate runs of 0 and 1,
     * starting with 0. {@code inside} is the decoded mask, column-major.
     */
    record Rle(int width, int height, boolean[] inside) implements ObjectMask {
        public static Rle decode(int width, int height, long[] counts) {
            boolean[] inside = new boolean[width * height];
            long pos = 0;
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] < 0 || pos + counts[i] > inside.length) {
                    throw new IllegalArgumentException("RLE counts overrun a " + width + "x" + height + " mask");
                }
                if (i % 2 == 1) {
                    java.util.Arrays.fill(inside, (int) pos, (int) (pos + counts[i]), true);
                }
                pos += counts[i];
            }
            return new Rle(width, height, inside);
        }

        /** pycocotools' compressed string form ({@code rleFrString}): 5-bit groups, deltas from two runs back. */
        public static Rle decode(int width, int height, String compressed) {
            long[] counts = new long[compressed.length()];
            int n = 0;
            int p = 0;
            while (p < compressed.length()) {
                long x = 0;
                int k = 0;
                boolean more = true;
                while (more) {
                    if (p >= compressed.length()) {
                        throw new IllegalArgumentException("truncated compressed RLE string");
                    }
                    int c = compressed.charAt(p++) - 48;
                    x |= (long) (c & 0x1f) << (5 * k);
                    more = (c & 0x20) != 0;
                    k++;
                    if (!more && (c & 0x10) != 0) {
                        x |= -1L << (5 * k);
                    }
                }
                if (n > 2) {
                    x += counts[n - 2];
                }
                counts[n++] = x;
            }
            return decode(width, height, java.util.Arrays.copyOf(counts, n));
        }

        @Override
        public boolean covers(double x, double y) {
            int col = (int) Math.floor(x);
            int row = (int) Math.floor(y);
            return col >= 0 && row >= 0 && col < width && row < height && inside[col * height + row];
        }
    }
}
