package io.ucag.kernels.opencl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tile sizes of {@code conv_backward.cl} ({@code VECTOR_WIDTH}, {@code INPUT_TILE_X}, {@code WEIGHT_TILE_K}) and
 * {@code matmul.cl} ({@code VECTOR_WIDTH}, {@code MATMUL_TILE_M}), rendered as {@code -D} build options; the
 * launch geometry depends on them, so they are always passed explicitly. Per device: the {@code default} entries
 * of {@code conv-backward-tuning.properties}, then entries whose selector occurs in the device's description,
 * then system properties {@code ucag.opencl.convBackward.<name>} (as {@link ConvKernelParams} does for conv.cl).
 *
 * @param vectorWidth lanes of every accumulator vector: input channels, filters or matrix columns (4, 8, 16)
 * @param inputTileX  pixels per input-gradient work item (1..32)
 * @param weightTileK (c, ky, kx) taps per weight-gradient work item (1..32)
 * @param matmulTileM the most matmul rows per work item (1..32); fewer for fewer rows, see {@link #matmulTileM(int)}
 */
record ConvBackwardKernelParams(int vectorWidth, int inputTileX, int weightTileK, int matmulTileM) {
    private static final String RESOURCE = ClProgramCache.RESOURCE_DIR + "conv-backward-tuning.properties";
    private static final String SYSTEM_PREFIX = "ucag.opencl.convBackward.";
    private static final String[] NAMES = {"vectorWidth", "inputTileX", "weightTileK", "matmulTileM"};
    private static final Map<String, ConvBackwardKernelParams> BY_DEVICE = new ConcurrentHashMap<>();

    ConvBackwardKernelParams {
        if (vectorWidth != 4 && vectorWidth != 8 && vectorWidth != 16) {
            throw new IllegalArgumentException("ConvBackwardKernelParams: vectorWidth must be 4, 8 or 16, got "
                    + vectorWidth);
        }
        if (Math.min(inputTileX, Math.min(weightTileK, matmulTileM)) < 1
                || Math.max(inputTileX, Math.max(weightTileK, matmulTileM)) > 32) {
            throw new IllegalArgumentException("ConvBackwardKernelParams: tile sizes must be in 1..32, got " + this);
        }
    }

    /** The parameters for a device (memoised per device description). */
    static ConvBackwardKernelParams forDevice(ClDeviceInfo info) {
        return BY_DEVICE.computeIfAbsent(info.description(), ConvBackwardKernelParams::load);
    }

    /**
     * Matmul rows per work item for m rows: matmulTileM when m reaches it, else 4 or 1, so that a batch of one does
     * not compute copies of its row (and at most three programs get built).
     */
    int matmulTileM(int m) {
        return m >= matmulTileM ? matmulTileM : m >= 4 ? Math.min(4, matmulTileM) : 1;
    }

    /** Build options of conv_backward.cl. */
    String convOptions() {
        return "-DVECTOR_WIDTH=" + vectorWidth + " -DINPUT_TILE_X=" + inputTileX + " -DWEIGHT_TILE_K=" + weightTileK;
    }

    /** Build options of matmul.cl for {@code tileM} rows per work item. */
    String matmulOptions(int tileM) {
        return "-DVECTOR_WIDTH=" + vectorWidth + " -DMATMUL_TILE_M=" + tileM;
    }

    private static ConvBackwardKernelParams load(String description) {
        Properties table = new Properties();
        try (InputStream in = ConvBackwardKernelParams.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("opencl: " + RESOURCE + " is missing from the class path");
            }
            table.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("opencl: cannot read " + RESOURCE, e);
        }
        String device = description.toLowerCase(Locale.ROOT);
        Properties chosen = new Properties();
        for (boolean defaults : new boolean[] {true, false}) {
            for (String key : new TreeSet<>(table.stringPropertyNames())) {
                int dot = key.lastIndexOf('.');
                String selector = dot > 0 ? key.substring(0, dot).toLowerCase(Locale.ROOT) : "";
                boolean applies = defaults ? selector.equals("default")
                        : !selector.equals("default") && !selector.isEmpty() && device.contains(selector);
                if (applies) {
                    chosen.setProperty(key.substring(dot + 1), table.getProperty(key));
                }
            }
        }
        int[] v = new int[NAMES.length];
        for (int i = 0; i < NAMES.length; i++) {
            String value = System.getProperty(SYSTEM_PREFIX + NAMES[i], chosen.getProperty(NAMES[i]));
            if (value == null) {
                throw new IllegalStateException("opencl: " + RESOURCE + " sets no default." + NAMES[i]);
            }
            try {
                v[i] = Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                throw new IllegalStateException("opencl: conv backward tuning value " + NAMES[i] + "=" + value
                        + " is not an integer", e);
            }
        }
        return new ConvBackwardKernelParams(v[0], v[1], v[2], v[3]);
    }
}
