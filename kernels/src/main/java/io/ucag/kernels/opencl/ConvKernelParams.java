package io.ucag.kernels.opencl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Tile sizes of {@code conv.cl} (named as its {@code #define}s) and two launch choices of {@link ClConv}. The
 * launch geometry depends on them, so they are always passed explicitly ({@link #defines()}). Tuned values per
 * OpenCL device name live in {@code conv_tuning.properties} beside the kernel, with a {@code default} entry for
 * other devices.
 *
 * @param tileOc         TILE_OC: conv2d output channels per work item (1, 2, 4, 8, 16)
 * @param tilePx         TILE_PX: conv2d output pixels per work item, one vector (4, 8, 16)
 * @param linearTileM    LINEAR_TILE_M: linear output features per work item (1 .. 16)
 * @param linearTileN    LINEAR_TILE_N: linear batch rows per work item (1 .. 16)
 * @param linearVector   LINEAR_VECTOR: linear values of k per vector load (4, 8, 16)
 * @param linearGemmBatch LINEAR_GEMM_BATCH: from this batch size on, linear runs as a 1x1 conv2d on x^T
 *                       (compute-bound), below it as the streaming dot-product kernel (>= 1)
 * @param groupSize      GROUP_SIZE: work items per work-group along dimension 0 of every launch (1 or more),
 *                       or 0 to let the driver choose. PoCL's CPU devices want 1: their own choice can make so
 *                       few groups that one core does all the work
 */
record ConvKernelParams(int tileOc, int tilePx, int linearTileM, int linearTileN, int linearVector,
                        int linearGemmBatch, int groupSize) {
    static final String RESOURCE = "conv_tuning.properties";
    private static final Map<String, ConvKernelParams> TUNED = load();

    ConvKernelParams {
        if (tileOc != 1 && tileOc != 2 && tileOc != 4 && tileOc != 8 && tileOc != 16) {
            throw new IllegalArgumentException("TILE_OC must be 1, 2, 4, 8 or 16, got " + tileOc);
        }
        if (tilePx != 4 && tilePx != 8 && tilePx != 16) {
            throw new IllegalArgumentException("TILE_PX must be 4, 8 or 16, got " + tilePx);
        }
        if (linearTileM < 1 || linearTileM > 16 || linearTileN < 1 || linearTileN > 16) {
            throw new IllegalArgumentException("LINEAR_TILE_M and LINEAR_TILE_N must be in 1..16, got "
                    + linearTileM + " and " + linearTileN);
        }
        if (linearVector != 4 && linearVector != 8 && linearVector != 16) {
            throw new IllegalArgumentException("LINEAR_VECTOR must be 4, 8 or 16, got " + linearVector);
        }
        if (linearGemmBatch < 1) {
            throw new IllegalArgumentException("LINEAR_GEMM_BATCH must be >= 1, got " + linearGemmBatch);
        }
        if (groupSize < 0) {
            throw new IllegalArgumentException("GROUP_SIZE must be >= 0, got " + groupSize);
        }
    }

    /** The tuned parameters for a device (by its CL_DEVICE_NAME), or the {@code default} entry. */
    static ConvKernelParams forDevice(ClDeviceInfo info) {
        ConvKernelParams tuned = TUNED.get(info.deviceName());
        return tuned != null ? tuned : TUNED.get("default");
    }

    /** Parses {@code TILE_OC=8 TILE_PX=16 ...}: every parameter, by its name above, in any order. */
    static ConvKernelParams parse(String definitions) {
        Map<String, Integer> values = new HashMap<>();
        for (String token : definitions.trim().split("\\s+")) {
            String[] nameValue = token.split("=", 2);
            if (nameValue.length != 2) {
                throw new IllegalArgumentException("conv kernel parameters: expected NAME=value, got '" + token + "'");
            }
            values.put(nameValue[0], Integer.parseInt(nameValue[1]));
        }
        return new ConvKernelParams(require(values, "TILE_OC"), require(values, "TILE_PX"),
                require(values, "LINEAR_TILE_M"), require(values, "LINEAR_TILE_N"), require(values, "LINEAR_VECTOR"),
                require(values, "LINEAR_GEMM_BATCH"), require(values, "GROUP_SIZE"));
    }

    /** The OpenCL build options of conv.cl, e.g. {@code -DTILE_OC=8 -DTILE_PX=16 ...}. */
    String defines() {
        return "-DTILE_OC=" + tileOc + " -DTILE_PX=" + tilePx + " -DLINEAR_TILE_M=" + linearTileM
                + " -DLINEAR_TILE_N=" + linearTileN + " -DLINEAR_VECTOR=" + linearVector;
    }

    /** The local size of a launch over {@code dimensions} dimensions, or null for the driver's choice. */
    long[] local(int dimensions) {
        if (groupSize == 0) {
            return null;
        }
        long[] local = new long[dimensions];
        java.util.Arrays.fill(local, 1);
        local[0] = groupSize;
        return local;
    }

    /** {@code global} with dimension 0 rounded up to a multiple of the group size (kernels skip the extra). */
    long[] global(long... global) {
        if (groupSize > 1) {
            global[0] = (global[0] + groupSize - 1) / groupSize * groupSize;
        }
        return global;
    }

    private static int require(Map<String, Integer> values, String name) {
        Integer v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("conv kernel parameters: " + name + " is missing");
        }
        return v;
    }

    private static Map<String, ConvKernelParams> load() {
        Properties properties = new Properties();
        try (InputStream in = ConvKernelParams.class.getResourceAsStream(ClProgramCache.RESOURCE_DIR + RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + ClProgramCache.RESOURCE_DIR + RESOURCE);
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, ConvKernelParams> byDevice = new HashMap<>();
        for (String device : properties.stringPropertyNames()) {
            byDevice.put(device, parse(properties.getProperty(device)));
        }
        if (!byDevice.containsKey("default")) {
            throw new IllegalStateException(RESOURCE + " has no 'default' entry");
        }
        return Map.copyOf(byDevice);
    }
}
