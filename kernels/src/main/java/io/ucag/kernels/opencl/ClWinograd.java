package io.ucag.kernels.opencl;

import io.ucag.runtime.FastConvolutions;
import io.ucag.runtime.OpShapes;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.ops.Conv2dParams;

/**
 * 3x3 stride-1 convolutions by Winograd's F(4x4, 3x3) or F(6x6, 3x3) ({@code winograd.cl} explains them): filter and
 * input transforms, 36 or 64 GEMMs on conv.cl's conv2d (as 1x1 convolutions, one weight matrix per transformed
 * point), and an output transform that also runs the epilogue (bias, residual, ReLU). A quarter (F(4x4)) or a fifth
 * (F(6x6)) of the direct convolution's multiply-adds, for transforms that only move memory; {@link #applies} says
 * when it pays and {@link #tileOut} which tile (measured with ConvTuning, kernels test sources).
 *
 * <p>Used inside {@link FastConvolutions} scopes (the CAM family's passes, evaluation games), everywhere with
 * {@code -Ducag.opencl.winograd=true} (the CLI's {@code --winograd}), nowhere with {@code false}: its rounding error is
 * about ten times the direct convolution's (F(6x6): 1.4-1.8 times F(4x4)'s). The CAM family does not notice
 * (resnet50-keras: logits and Grad-CAM maps of 224-pixel photos within 1.2e-6 of the direct convolution's largest
 * value, UCAG-GradCAM maps, whose 322-pixel patches take F(6x6), within 1.6e-6), but the relative-propagation methods
 * amplify it (against the Java device, AGF maps differ by 2.6e-3 of their maximum instead of 1.1e-5, RSP 2.3e-4
 * instead of 5.8e-7), so those methods never open a scope and keep the direct convolution.
 */
final class ClWinograd {
    private static final String FILE = "winograd.cl";
    /** The system property that turns Winograd on ("true"). */
    static final String ENABLE = "ucag.opencl.winograd";
    /** The system property that picks the output tile: 4, 6, or auto (the default: {@link #tileOut}). */
    static final String TILE = "ucag.opencl.winograd.tile";
    /**
     * F(6x6) is taken where its GEMMs' multiply-adds (64 per 6x6 tile) are at most this share of F(4x4)'s (36 per
     * 4x4 tile), both counted over the tiles that cover the output: where the 6x6 tiles overhang the output much
     * more than the 4x4 ones (7x7: 4 tiles of 6x6 cover 12x12, 4 of 4x4 cover 8x8), F(4x4) stays, and it is the
     * more accurate one. On UCAG's 322-pixel patches every ResNet-50 3x3 layer takes F(6x6) (0.72-0.79 of F(4x4)'s
     * multiply-adds; batch 12: 64 channels at 81x81 25-27 -> 23-24 ms, 128 at 41x41 20 -> 16.4 ms, 256 at 21x21
     * 16.4 -> 14.3 ms, 512 at 11x11 15.9 -> 12.7 ms); at 224 pixels (56x56, 28x28: 0.91) both took the same time, so
     * F(4x4) stays there.
     */
    static final double F6_MAX_SHARE = 0.85;
    /**
     * Fewer input channels than this and the GEMMs' short reductions and the transforms cost more than they save
     * (batch 12, Zen 4 PoCL: 128 at 28x28 15.0 -> 9.4 ms; 64 channels at 81x81 once 30.8 -> 35.8 ms, since the
     * transforms were unrolled 30.5 -> 25.8-26.7 ms, UCAG-GradCAM 3.49 -> 3.40 s over three alternating runs).
     */
    static final int MIN_CHANNELS = 64;
    /** Largest transformed input or output (bytes) in one pass; larger batches run a few images at a time. */
    static final long MAX_TRANSFORMED_BYTES = 256L << 20;
    /**
     * The same where the transformed filter is at most {@link #SMALL_FILTER_BYTES}: passes this small keep V in
     * cache from the input transform to the GEMMs, and re-reading a small U for every pass costs less than that saves
     * (64 channels at 81x81, batch 12, a pass per image: 27.5-30 -> 25-26 ms). With larger filters it did not pay
     * (128 at 41x41 even; 256 at 21x21 15.6 -> 17.5 ms, 512 at 11x11 14.8 -> 17.5 ms).
     */
    static final long CACHED_PASS_BYTES = 4L << 20;
    /** U (points * O * C floats) small enough for {@link #CACHED_PASS_BYTES} passes: 64 x 64 channels (0.6-1 MB). */
    static final long SMALL_FILTER_BYTES = 1L << 20;

    /**
     * The transforms' work-group: 16 consecutive tiles (or channels, for the filter). Not tuned: what made the
     * transforms fast was unrolling their tile loops (input transform at 256 channels, 21x21, batch 12: 10 -> 3 ms).
     */
    private static final long[] TRANSFORM_GROUP = {16, 1};

    private ClWinograd() {
    }

    /**
     * True when {@code conv2d} should run on Winograd: {@link #enabled}, 3x3, stride 1, undilated, enough channels and
     * tiles.
     */
    static boolean applies(Shape x, Shape weight, Conv2dParams p, ConvKernelParams kp) {
        if (!enabled()) {
            return false;
        }
        if (weight.rank() != 4 || x.rank() != 4 || weight.dim(2) != 3 || weight.dim(3) != 3 || p.strideH() != 1
                || p.strideW() != 1 || p.dilationH() != 1 || p.dilationW() != 1 || x.dim(1) != weight.dim(1)) {
            return false;
        }
        int oh = p.outH(x.dim(2), 3);
        int ow = p.outW(x.dim(3), 3);
        if (oh < 1 || ow < 1) {
            return false;
        }
        int m = tileOut(x.dim(0), oh, ow, kp.tilePx());
        return x.dim(1) >= MIN_CHANNELS && weight.dim(0) >= kp.tileOc()
                && x.dim(0) * tiles(oh, m) * tiles(ow, m) >= kp.tilePx();
    }

    /**
     * The output tile for {@code images} outputs of OH x OW: 6 where F(6x6)'s GEMMs take at most {@link #F6_MAX_SHARE}
     * of F(4x4)'s multiply-adds and its tiles fill at least one GEMM tile of {@code tilePx} (a relevance pass of 2
     * patches has 8 tiles of 6x6 at 11x11, 18 of 4x4), else 4; {@link #TILE} overrides the first condition.
     */
    static int tileOut(int images, int oh, int ow, int tilePx) {
        String setting = System.getProperty(TILE, "auto");
        boolean sixFits = (long) images * tiles(oh, 6) * tiles(ow, 6) >= tilePx;
        return switch (setting) {
            case "4" -> 4;
            case "6" -> sixFits ? 6 : 4;
            case "auto" -> sixFits && (double) points(6) * tiles(oh, 6) * tiles(ow, 6)
                    <= F6_MAX_SHARE * points(4) * tiles(oh, 4) * tiles(ow, 4) ? 6 : 4;
            default -> throw new IllegalArgumentException("-D" + TILE + " must be 4, 6 or auto, got '" + setting
                    + "'");
        };
    }

    /** Points of the transformed tile of F(m x m, 3x3), (m + 2)^2: the number of GEMMs. */
    static int points(int tileOut) {
        return (tileOut + 2) * (tileOut + 2);
    }

    /** {@link #ENABLE}: true everywhere, false nowhere, auto (default) inside {@link FastConvolutions} scopes. */
    static boolean enabled() {
        String setting = System.getProperty(ENABLE, "auto");
        return switch (setting) {
            case "true" -> true;
            case "false" -> false;
            case "auto" -> FastConvolutions.allowed();
            default -> throw new IllegalArgumentException("-D" + ENABLE + " must be true, false or auto, got '"
                    + setting + "'");
        };
    }

    /** conv2d(x, weight, e.bias) with the epilogue {@code e}, for a shape {@link #applies} accepts. */
    static Tensor conv2d(ClDevice d, Tensor x, Tensor weight, Conv2dParams p, ClConv.Epilogue e,
                         ConvKernelParams kp) {
        Shape ys = OpShapes.conv2d(x, weight, e.bias(), p);
        int m = tileOut(ys.dim(0), ys.dim(2), ys.dim(3), kp.tilePx());
        return conv2d(d, x, weight, p, e, kp, m, passBytes(weight.shape(), m));
    }

    /** The most bytes of V or M in one pass for {@code weight} (O, C, 3, 3) on F(m x m, 3x3). */
    static long passBytes(Shape weight, int tileOut) {
        long filterBytes = (long) points(tileOut) * weight.dim(0) * weight.dim(1) * Float.BYTES;
        return filterBytes <= SMALL_FILTER_BYTES ? CACHED_PASS_BYTES : MAX_TRANSFORMED_BYTES;
    }

    /**
     * The same on F(tileOut x tileOut, 3x3) with the transformed tensors of one pass kept under {@code maxBytes}
     * (tests use both tiles and small passes).
     */
    static Tensor conv2d(ClDevice d, Tensor x, Tensor weight, Conv2dParams p, ClConv.Epilogue e,
                         ConvKernelParams kp, int tileOut, long maxBytes) {
        Tensor bias = e.bias();
        Shape ys = OpShapes.conv2d(x, weight, bias, p);
        if (e.operand() != null) {
            OpShapes.conv2dFused(x, weight, bias, p, e.operand());
        }
        int n = ys.dim(0);
        int o = ys.dim(1);
        int c = x.shape().dim(1);
        if (tileOut != 4 && tileOut != 6) {
            throw new IllegalArgumentException("winograd: output tiles of 4 or 6, got " + tileOut);
        }
        int th = tiles(ys.dim(2), tileOut);
        int tw = tiles(ys.dim(3), tileOut);
        if (weight.shape().dim(2) != 3 || weight.shape().dim(3) != 3 || p.strideH() != 1 || p.strideW() != 1
                || p.dilationH() != 1 || p.dilationW() != 1 || n * th * tw < kp.tilePx()) {
            throw new IllegalArgumentException("winograd: needs a 3x3 stride-1 undilated convolution with at least "
                    + kp.tilePx() + " output tiles of " + tileOut + "x" + tileOut + ", got x " + x.shape() + " w "
                    + weight.shape() + " " + p);
        }
        int points = points(tileOut);
        int passes = passes(n, points, Math.max(c, o), th * tw, kp.tilePx(), maxBytes);
        String defines = "-DTILE_OUT=" + tileOut;
        Tensor y = d.allocatePlanes(ys, kp.tilePx());
        int yPlane = ClDevice.planeStride(y);
        // released right after queuing: OpenCL keeps the memory until the kernels using it have run; x and the
        // operand as the plane-aware transforms read them (ClDevice.planar)
        try (Tensor u = transformedFilter(d, weight, tileOut); Tensor input = d.planar(x);
             Tensor operand = e.operand() != null ? d.planar(e.operand()) : null) {
            for (int pass = 0; pass < passes; pass++) {
                int n0 = (int) ((long) pass * n / passes);
                int nb = (int) ((long) (pass + 1) * n / passes) - n0;
                int t = nb * th * tw;
                try (Tensor v = d.allocate(Shape.of(points, c, 1, t));
                     Tensor m = d.allocate(Shape.of(points, o, 1, t))) {
                    d.kernel(FILE, "winograd_input", defines).launch(transformGlobal(t, c), TRANSFORM_GROUP, input, v,
                            c, x.shape().dim(2), x.shape().dim(3), p.padH(), p.padW(), th, tw, n0, nb,
                            ClDevice.planeStride(input));
                    ClConv.runConv(d, kp, v, u, new ClConv.Epilogue(null, null, false), m,
                            new ConvStaging(true, t, 1, 1, t, new int[] {0}), o * c);
                    d.kernel(FILE, "winograd_output", defines).launch(transformGlobal(t, o), TRANSFORM_GROUP, m,
                            bias != null ? bias : m, operand != null ? operand : m, y, o, ys.dim(2), ys.dim(3),
                            th, tw, n0, nb, e.bits(), yPlane, operand != null ? ClDevice.planeStride(operand) : yPlane);
                }
            }
        }
        return y;
    }

    /**
     * U (points*O, C, 1, 1) of {@code weight} (O, C, 3, 3) for F(m x m, 3x3), made once per weight buffer and tile
     * and kept with it (tensor contents never change after they are made; a model's weights are transformed on
     * their first use).
     */
    private static Tensor transformedFilter(ClDevice d, Tensor weight, int tileOut) {
        Shape ws = weight.shape();
        int o = ws.dim(0);
        int c = ws.dim(1);
        return weight.derived("winograd F(" + tileOut + "x" + tileOut + ",3x3)", () -> {
            Tensor u = d.allocate(Shape.of(points(tileOut) * o, c, 1, 1));
            d.kernel(FILE, "winograd_filter", "-DTILE_OUT=" + tileOut).launch(transformGlobal(c, o), TRANSFORM_GROUP,
                    weight, u, o, c);
            return u;
        });
    }

    /**
     * How many passes of equal shares (images n0 .. n0+nb-1 of pass k: n0 = k*images/passes) keep each pass's
     * transformed tensors ({@code points} x {@code channels} x tiles) under {@code maxBytes}, or under twice that
     * where a pass needs more images to span one tile of the GEMM ({@code tilePx} output tiles). One image above
     * {@code maxBytes} is a pass of its own.
     */
    static int passes(int images, int points, int channels, int tilesPerImage, int tilePx, long maxBytes) {
        long perImage = (long) points * channels * tilesPerImage * Float.BYTES;
        int fit = (int) Math.max(1, Math.min(images, maxBytes / perImage));
        int spanning = (tilePx + tilesPerImage - 1) / tilesPerImage; // images for one GEMM tile
        int least = Math.min(images, Math.max(fit, spanning));
        return Math.max(1, images / least); // every share then holds at least `least` images
    }

    /** (ceil(items / group) * group, rows): the transforms' launch, a group along the consecutive items. */
    private static long[] transformGlobal(int items, int rows) {
        return new long[] {(long) (items + TRANSFORM_GROUP[0] - 1) / TRANSFORM_GROUP[0] * TRANSFORM_GROUP[0], rows};
    }

    /** Output tiles of side {@code tileOut} along an output side of {@code size}. */
    static int tiles(int size, int tileOut) {
        return (size + tileOut - 1) / tileOut;
    }
}
