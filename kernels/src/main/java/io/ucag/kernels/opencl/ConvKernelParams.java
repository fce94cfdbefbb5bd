package io.ucag.kernels.opencl;

import io.ucag.runtime.ops.Conv2dParams;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Tile sizes of {@code conv.cl} ({@code TILE_OC}, {@code TILE_PX}) and {@code gemm.cl} ({@code TILE_M},
 * {@code TILE_N}, {@code VEC_K}); rendered as {@code -D} build options. Per device: the {@code default} entries of
 * {@code conv-tuning.properties}, then entries whose selector occurs in the device's description, then system
 * properties {@code ucag.opencl.conv.<name>}. Device selectors apply in sorted order (a later one wins).
 *
 * @param tileOc output channels per conv work item, the accumulator vector width (4, 8, 16)
 * @param tilePx the most consecutive output pixels per work item of conv2d_tiled (1..16); fewer for short rows
 * @param rowPx  consecutive output pixels per work item of conv2d_rows (stride-1 fast path), a vector (4, 8, 16)
 * @param tileM  output features per linear work item (1..8)
 * @param tileN  input rows per linear work item (1..8)
 * @param vecK   partial-sum vector width of linear along k (4, 8, 16)
 */
public record ConvKernelParams(int tileOc, int tilePx, int rowPx, int tileM, int tileN, int vecK) {
    private static final String RESOURCE = ClProgramCache.RESOURCE_DIR + "conv-tuning.properties";
    private static final String SYSTEM_PREFIX = "ucag.opencl.conv.";
    private static final Map<String, ConvKernelParams> BY_DEVICE = new ConcurrentHashMap<>();

    public ConvKernelParams {
        requireVectorWidth("tileOc", tileOc);
        requireVectorWidth("vecK", vecK);
        requireVectorWidth("rowPx", rowPx);
        requireRange("tilePx", tilePx, 16);
        requireRange("tileM", tileM, 8);
        requireRange("tileN", tileN, 8);
    }

    /** The parameters for a device (memoised per device description). */
    public static ConvKernelParams forDevice(ClDeviceInfo info) {
        return BY_DEVICE.computeIfAbsent(info.description(), ConvKernelParams::load);
    }

    /**
     * Pixels per conv work item for rows of {@code width} output pixels: rows split into equal tiles of at most
     * {@link #tilePx}, so a 7-pixel row is one tile of 7 rather than 8 with one wasted.
     */
    public int tilePxFor(int width) {
        int tiles = (width + tilePx - 1) / tilePx;
        return (width + tiles - 1) / tiles;
    }

    /** Build options of conv.cl for one kernel geometry and {@code pixels} per conv2d_tiled work item. */
    String convOptions(int kernelH, int kernelW, Conv2dParams p, int pixels) {
        return packOptions() + " -DTILE_PX=" + pixels + " -DROW_PX=" + rowPx + " -DKH=" + kernelH + " -DKW=" + kernelW
                + " -DSTRIDE_H=" + p.strideH() + " -DSTRIDE_W=" + p.strideW()
                + " -DDIL_H=" + p.dilationH() + " -DDIL_W=" + p.dilationW();
    }

    /** Build options of conv.cl's weight packing. */
    String packOptions() {
        return "-DTILE_OC=" + tileOc;
    }

    /** Build options of gemm.cl. */
    String linearOptions() {
        return "-DTILE_M=" + tileM + " -DTILE_N=" + tileN + " -DVEC_K=" + vecK;
    }

    private static ConvKernelParams load(String description) {
        Properties table = new Properties();
        try (InputStream in = ConvKernelParams.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("opencl: " + RESOURCE + " is missing from the class path");
            }
            table.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("opencl: cannot read " + RESOURCE, e);
        }
        String device = description.toLowerCase(Locale.ROOT);
        Properties chosen = new Properties();
        apply(table, chosen, selector -> selector.equals("default"));
        apply(table, chosen, selector -> !selector.equals("default") && device.contains(selector));
        for (String name : new String[] {"tileOc", "tilePx", "rowPx", "tileM", "tileN", "vecK"}) {
            String override = System.getProperty(SYSTEM_PREFIX + name);
            if (override != null) {
                chosen.setProperty(name, override);
            }
        }
        return new ConvKernelParams(value(chosen, "tileOc"), value(chosen, "tilePx"), value(chosen, "rowPx"),
                value(chosen, "tileM"), value(chosen, "tileN"), value(chosen, "vecK"));
    }

    /** Copies the entries whose selector (the key before its last dot) passes {@code applies}, in key order. */
    private static void apply(Properties table, Properties chosen, Predicate<String> applies) {
        for (String key : new TreeSet<>(table.stringPropertyNames())) {
            int dot = key.lastIndexOf('.');
            if (dot > 0 && applies.test(key.substring(0, dot).toLowerCase(Locale.ROOT))) {
                chosen.setProperty(key.substring(dot + 1), table.getProperty(key));
            }
        }
    }

    private static int value(Properties p, String name) {
        String v = p.getProperty(name);
        if (v == null) {
            throw new IllegalStateException("opencl: " + RESOURCE + " sets no default." + name);
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("opencl: conv tuning value " + name + "=" + v + " is not an integer", e);
        }
    }

    private static void requireVectorWidth(String name, int v) {
        if (v != 4 && v != 8 && v != 16) {
            throw new IllegalArgumentException("ConvKernelParams: " + name + " must be 4, 8 or 16, got " + v);
        }
    }

    private static void requireRange(String name, int v, int max) {
        if (v < 1 || v > max) {
            throw new IllegalArgumentException("ConvKernelParams: " + name + " must be in 1.." + max + ", got " + v);
        }
    }
}
