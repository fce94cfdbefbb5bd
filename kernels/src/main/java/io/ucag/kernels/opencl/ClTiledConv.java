package io.ucag.kernels.opencl;

import io.ucag.runtime.OpShapes;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.Conv2dParams;
import java.util.Locale;

/**
 * conv2d on GPUs: {@code conv_tiled.cl}'s implicit GEMM with its tiles in local memory, on x as it lies (any
 * stride, padding and dilation; no staging, no Winograd), with {@link ClConv.Epilogue} in its store. conv.cl's
 * register-blocked kernel, written for CPUs, reached 1% of an H100's fp32 peak. The system property
 * {@value #PROPERTY} chooses: {@code auto} (the default: GPUs), {@code true} or {@code false} (every device).
 */
final class ClTiledConv {
    static final String PROPERTY = "ucag.opencl.tiledConv";
    /** System property with other {@link Tiles} for every tiled convolution, e.g. {@code 128,128,16,8,8}. */
    static final String TILES_PROPERTY = "ucag.opencl.tiledConv.tiles";
    private static final String FILE = "conv_tiled.cl";

    /**
     * conv_tiled.cl's tile parameters (its header explains them): {@code m} x {@code n} outputs per work group of
     * (n / wptN) x (m / wptM) items, each with wptM x wptN in registers; {@code k} values of the reduction staged in
     * local memory per step.
     */
    record Tiles(int m, int n, int k, int wptM, int wptN) {
        /**
         * The default: on an H100 (NVIDIA's OpenCL), ResNet-50's forward at batch 16 took 13 ms with these; 14 ms
         * with 64,64,16,4,4 and 64,64,64,4,4, 15 with 128,64,16,8,4 and 128,64,32,8,4, 17 with 64,128,16,4,8 and
         * 32,64,16,2,4, 18 with 64,64,32,8,4, 19 with 128,128,16,8,8 and 128,128,32,8,8, 20 with 64,128,32,4,8.
         */
        static final Tiles DEFAULT = new Tiles(64, 64, 32, 4, 4);
        /** For devices whose work groups hold fewer than DEFAULT's 256 items: 64 items (unmeasured on such a GPU). */
        static final Tiles SMALL_GROUPS = new Tiles(32, 32, 16, 4, 4);

        /** DEFAULT where the device's work groups hold its 256 items, else SMALL_GROUPS. */
        static Tiles forDevice(ClDeviceInfo info) {
            return info.maxWorkGroupSize() >= DEFAULT.items() ? DEFAULT : SMALL_GROUPS;
        }

        Tiles {
            int items = m / Math.max(wptM, 1) * (n / Math.max(wptN, 1));
            if (wptM < 1 || wptN < 1 || m % wptM != 0 || n % wptN != 0 || k < 1 || items % k != 0
                    || m % (items / k) != 0 || items % n != 0 || k % (items / n) != 0) {
                throw new IllegalArgumentException("tiled conv: tiles m " + m + ", n " + n + ", k " + k + ", wptM "
                        + wptM + ", wptN " + wptN + " do not divide into work items that stage whole slices (e.g. "
                        + "64,64,32,4,4)");
            }
        }

        /** Parses {@code m,n,k,wptM,wptN}. */
        static Tiles parse(String text) {
            String[] parts = text.split(",");
            if (parts.length != 5) {
                throw new IllegalArgumentException("-D" + TILES_PROPERTY + " must be m,n,k,wptM,wptN, got '" + text
                        + "'");
            }
            int[] v = new int[5];
            try {
                for (int i = 0; i < 5; i++) {
                    v[i] = Integer.parseInt(parts[i].trim());
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("-D" + TILES_PROPERTY + " must be five integers m,n,k,wptM,wptN, "
                        + "got '" + text + "'", e);
            }
            return new Tiles(v[0], v[1], v[2], v[3], v[4]);
        }

        /** Work items per group. */
        int items() {
            return m / wptM * (n / wptN);
        }

        String defines() {
            return "-DTILE_M=" + m + " -DTILE_N=" + n + " -DTILE_K=" + k + " -DWPT_M=" + wptM + " -DWPT_N=" + wptN;
        }
    }

    private ClTiledConv() {
    }

    /** Whether {@link ClConv} sends device {@code d}'s convolutions here (read per call: tests switch it). */
    static boolean appliesTo(ClDevice d) {
        String setting = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        return switch (setting) {
            case "auto" -> d.info().isGpu();
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("-D" + PROPERTY + " must be auto, true or false, got '"
                    + setting + "'");
        };
    }

    static Tensor conv2d(ClDevice d, Tensor x, Tensor weight, Conv2dParams p, ClConv.Epilogue e) {
        String tiles = System.getProperty(TILES_PROPERTY);
        return conv2d(d, x, weight, p, e, tiles == null ? Tiles.forDevice(d.info()) : Tiles.parse(tiles));
    }

    static Tensor conv2d(ClDevice d, Tensor x, Tensor weight, Conv2dParams p, ClConv.Epilogue e, Tiles t) {
        Shape ys = OpShapes.conv2d(x, weight, e.bias(), p);
        Shape xs = x.shape();
        Shape ws = weight.shape();
        if (t.items() > d.info().maxWorkGroupSize()) {
            throw new IllegalArgumentException("tiled conv: tiles " + t + " need work groups of " + t.items()
                    + " items but " + d.info().deviceName() + " allows " + d.info().maxWorkGroupSize() + "; set -D"
                    + TILES_PROPERTY + " to fewer (m / wptM * n / wptN)");
        }
        try (Tensor input = d.planar(x); Tensor operand = e.operand() == null ? null : d.planar(e.operand());
             Tensor addend = e.addend() == null ? null : d.planar(e.addend())) {
            Tensor y = d.allocate(ys);
            int outPlane = ys.dim(2) * ys.dim(3);
            long pixels = (long) ys.dim(0) * outPlane;
            long[] local = {t.n() / t.wptN(), t.m() / t.wptM()};
            long[] global = {ceilDiv(pixels, t.n()) * local[0], ceilDiv(ys.dim(1), t.m()) * local[1]};
            d.kernel(FILE, "conv2d_tiled", t.defines()).launch(global, local, input, weight,
                    e.bias() != null ? e.bias() : weight, operand != null ? operand : y,
                    addend != null ? addend : y, y, ys.dim(0), xs.dim(1), xs.dim(2), xs.dim(3), ys.dim(1),
                    ys.dim(2), ys.dim(3), ws.dim(2), ws.dim(3), p.strideH(), p.strideW(), p.padH(), p.padW(),
                    p.dilationH(), p.dilationW(), ClDevice.planeStride(input), outPlane,
                    operand != null ? ClDevice.planeStride(operand) : outPlane,
                    addend != null ? ClDevice.planeStride(addend) : outPlane, e.bits());
            return y;
        }
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
