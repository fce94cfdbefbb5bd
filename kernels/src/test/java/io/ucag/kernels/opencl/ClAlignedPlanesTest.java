package io.ucag.kernels.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.kernels.OpenClTestSupport;
import io.ucag.runtime.AlignedPlanes;
import io.ucag.runtime.PropertyOverride;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.ops.Conv2dParams;
import io.ucag.runtime.ops.Pool2dParams;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Convolution outputs with padded planes ({@link AlignedPlanes}, {@code ClDevice.allocatePlanes}): the plane-aware
 * kernels read and write them to the same floats as dense tensors, every other op and {@code toArray} sees their
 * values in order, and their memory is freed. On every device these run conv.cl's convolution, the one that pads
 * (a GPU's tiled convolution writes dense planes; it is checked here on padded inputs).
 */
class ClAlignedPlanesTest {
    private static final Conv2dParams ONE = Conv2dParams.of(1, 0);
    private PropertyOverride registerBlocked;

    @BeforeEach
    void registerBlockedConvolutions() {
        registerBlocked = PropertyOverride.of(ClTiledConv.PROPERTY, "false");
    }

    @AfterEach
    void restoreTheSetting() {
        registerBlocked.close();
    }

    private static boolean padded(Tensor t) {
        return ((ClBuffer) t.buffer()).padded();
    }

    /** A padded tensor of {@code shape} (9x9 planes): a 1x1 convolution's output inside a scope. */
    private static Tensor paddedInput(ClDevice cl, Shape shape, Random rnd) {
        Shape source = Shape.of(shape.dim(0), 3, shape.dim(2), shape.dim(3));
        Tensor x = cl.fromArray(source, OpenClTestSupport.random(rnd, source));
        Tensor w = cl.fromArray(Shape.of(shape.dim(1), 3, 1, 1), OpenClTestSupport.random(rnd,
                Shape.of(shape.dim(1), 3, 1, 1)));
        try (AlignedPlanes aligned = AlignedPlanes.allow()) {
            Tensor y = cl.conv2d(x, w, null, ONE);
            assertTrue(padded(y), "81-value planes are padded inside a scope");
            return y;
        }
    }

    @Test
    void convolutionsOnPaddedPlanesGiveTheDenseFloats() {
        ClDevice cl = OpenClTestSupport.device();
        ConvKernelParams kp = ConvKernelParams.forDevice(cl.info());
        Random rnd = new Random(5);
        try (TensorScope scope = TensorScope.open()) {
            Tensor x = paddedInput(cl, Shape.of(4, 64, 9, 9), rnd); // 4 images: 16 Winograd tiles of 6x6
            Tensor dense = cl.fromArray(x.shape(), x.toArray());
            assertFalse(padded(dense));
            Tensor residual = paddedInput(cl, Shape.of(4, 32, 9, 9), rnd);
            Tensor denseResidual = cl.fromArray(residual.shape(), residual.toArray());
            Object[][] convs = { // weight, params
                {Shape.of(32, 64, 1, 1), ONE}, {Shape.of(32, 64, 1, 1), Conv2dParams.of(2, 0)},
                {Shape.of(32, 64, 3, 3), Conv2dParams.of(1, 1)}, {Shape.of(32, 64, 3, 3), Conv2dParams.of(2, 1)}};
            for (Object[] conv : convs) {
                Shape ws = (Shape) conv[0];
                Conv2dParams p = (Conv2dParams) conv[1];
                Tensor w = cl.fromArray(ws, OpenClTestSupport.random(rnd, ws));
                Tensor b = cl.fromArray(Shape.of(32), OpenClTestSupport.random(rnd, Shape.of(32)));
                boolean fused = p.strideH() == 1;
                Tensor expected = ClConv.conv2d(cl, dense, w, b, p, fused ? denseResidual : null, fused, kp);
                try (AlignedPlanes aligned = AlignedPlanes.allow()) {
                    Tensor y = ClConv.conv2d(cl, x, w, b, p, fused ? residual : null, fused, kp);
                    assertEquals(expected.shape(), y.shape());
                    assertArrayEquals(expected.toArray(), y.toArray(), ws + " " + p);
                }
                ClConv.Epilogue tail = new ClConv.Epilogue(b, fused ? denseResidual : null, fused);
                assertArrayEquals(ClTiledConv.conv2d(cl, dense, w, p, tail).toArray(),
                        ClTiledConv.conv2d(cl, x, w, p, new ClConv.Epilogue(b, fused ? residual : null, fused))
                                .toArray(), "the tiled convolution reads padded planes, " + ws + " " + p);
            }
            // a strided 1x1 convolution's input gradient times a padded factor: scattered and multiplied in one pass
            Tensor gradOut = paddedInput(cl, Shape.of(4, 32, 5, 5), rnd);
            Tensor w1 = cl.fromArray(Shape.of(32, 64, 1, 1), OpenClTestSupport.random(rnd, Shape.of(32, 64, 1, 1)));
            Tensor expectedProduct = cl.conv2dBackwardInputTimes(dense, cl.fromArray(gradOut.shape(),
                    gradOut.toArray()), w1, Conv2dParams.of(2, 0));
            try (AlignedPlanes aligned = AlignedPlanes.allow()) {
                Tensor product = cl.conv2dBackwardInputTimes(x, gradOut, w1, Conv2dParams.of(2, 0));
                assertTrue(padded(product), "the factor's planes");
                assertArrayEquals(expectedProduct.toArray(), product.toArray(), "strided 1x1 input gradient times x");
                // plus a padded addend, in the scatter's pass and in a stride-1 convolution's store
                Tensor addend = paddedInput(cl, x.shape(), rnd);
                Tensor denseAddend = cl.fromArray(x.shape(), addend.toArray());
                for (Conv2dParams p : new Conv2dParams[] {Conv2dParams.of(2, 0), ONE}) {
                    Tensor s = p.strideH() == 2 ? gradOut : paddedInput(cl, Shape.of(4, 32, 9, 9), rnd);
                    Tensor expectedSum = cl.add(cl.conv2dBackwardInputTimes(dense, cl.fromArray(s.shape(),
                            s.toArray()), w1, p), denseAddend);
                    Tensor sum = cl.conv2dBackwardInputTimesPlus(x, s, w1, p, addend);
                    assertTrue(padded(sum));
                    assertArrayEquals(expectedSum.toArray(), sum.toArray(), "times x plus a, " + p);
                }
            }
            // Winograd (both tiles) reads padded planes and writes them
            Tensor w3 = cl.fromArray(Shape.of(32, 64, 3, 3), OpenClTestSupport.random(rnd, Shape.of(32, 64, 3, 3)));
            for (int tile : new int[] {4, 6}) {
                ClConv.Epilogue denseEpilogue = new ClConv.Epilogue(null, denseResidual, true);
                Tensor expected = ClWinograd.conv2d(cl, dense, w3, Conv2dParams.of(1, 1), denseEpilogue, kp, tile,
                        ClWinograd.MAX_TRANSFORMED_BYTES);
                try (AlignedPlanes aligned = AlignedPlanes.allow()) {
                    Tensor y = ClWinograd.conv2d(cl, x, w3, Conv2dParams.of(1, 1),
                            new ClConv.Epilogue(null, residual, true), kp, tile, ClWinograd.MAX_TRANSFORMED_BYTES);
                    assertTrue(padded(y));
                    assertArrayEquals(expected.toArray(), y.toArray(), "winograd F(" + tile + "x" + tile + ")");
                }
            }
        }
    }

    @Test
    void otherOpsAndReshapesSeeTheValuesInOrder() {
        ClDevice cl = OpenClTestSupport.device();
        Random rnd = new Random(6);
        try (TensorScope scope = TensorScope.open()) {
            Tensor x = paddedInput(cl, Shape.of(2, 5, 9, 9), rnd);
            Tensor dense = cl.fromArray(x.shape(), x.toArray());
            assertArrayEquals(cl.relu(dense).toArray(), cl.relu(x).toArray(), "relu");
            assertArrayEquals(cl.add(dense, dense).toArray(), cl.add(x, x).toArray(), "add");
            Tensor perChannel = cl.fromArray(Shape.of(1, 5, 1, 1), OpenClTestSupport.random(rnd, Shape.of(1, 5, 1, 1)));
            assertArrayEquals(cl.add(dense, perChannel).toArray(), cl.add(x, perChannel).toArray(), "add, broadcast");
            Pool2dParams pool = Pool2dParams.of(3, 2, 1);
            assertArrayEquals(cl.maxPool2d(dense, pool).toArray(), cl.maxPool2d(x, pool).toArray(), "max pool");
            Tensor g = paddedInput(cl, Shape.of(2, 5, 5, 5), rnd); // the pool's output shape, padded too
            assertArrayEquals(cl.maxPool2dBackward(cl.fromArray(g.shape(), g.toArray()), dense, pool).toArray(),
                    cl.maxPool2dBackward(g, x, pool).toArray(), "max pool backward");
            Tensor w = cl.fromArray(Shape.of(7, 405), OpenClTestSupport.random(rnd, Shape.of(7, 405)));
            assertArrayEquals(cl.linear(dense.reshape(2, 405), w, null).toArray(),
                    cl.linear(x.reshape(2, 405), w, null).toArray(), "flattened into a linear layer");
            // an RGB layer's input gradient reads gy's padded planes in place (stride 2: both column residues per
            // work item; stride 3: one residue)
            Tensor stem = cl.fromArray(Shape.of(5, 3, 7, 7), OpenClTestSupport.random(rnd, Shape.of(5, 3, 7, 7)));
            Shape rgb = Shape.of(2, 3, 17, 17);
            Tensor gy = paddedInput(cl, Shape.of(2, 5, 9, 9), rnd);
            assertArrayEquals(cl.conv2dBackwardInput(cl.fromArray(gy.shape(), gy.toArray()), stem, rgb,
                    Conv2dParams.of(2, 3)).toArray(), cl.conv2dBackwardInput(gy, stem, rgb, Conv2dParams.of(2, 3))
                    .toArray(), "RGB input gradient, stride 2");
            Tensor gy3 = paddedInput(cl, Shape.of(2, 5, 7, 7), rnd);
            assertArrayEquals(cl.conv2dBackwardInput(cl.fromArray(gy3.shape(), gy3.toArray()), stem, rgb,
                    Conv2dParams.of(3, 5)).toArray(), cl.conv2dBackwardInput(gy3, stem, rgb, Conv2dParams.of(3, 5))
                    .toArray(), "RGB input gradient, stride 3");
            // reshaped to other planes, a convolution reads a compact copy
            Tensor c = cl.fromArray(Shape.of(4, 5, 1, 1), OpenClTestSupport.random(rnd, Shape.of(4, 5, 1, 1)));
            assertArrayEquals(cl.conv2d(dense.reshape(2, 5, 3, 27), c, null, ONE).toArray(),
                    cl.conv2d(x.reshape(2, 5, 3, 27), c, null, ONE).toArray(), "other planes");
        }
    }

    /**
     * relu, add, addRelu and the positive shares read padded and dense operands alike and keep the padding for the
     * next convolution.
     */
    @Test
    void elementWiseOpsOnPaddedOperandsStorePaddedPlanes() {
        ClDevice cl = OpenClTestSupport.device();
        Random rnd = new Random(8);
        try (TensorScope scope = TensorScope.open()) {
            Shape shape = Shape.of(2, 5, 9, 9);
            Tensor a = paddedInput(cl, shape, rnd); // signed: relu and the shares' positive parts matter
            Tensor b = paddedInput(cl, shape, rnd);
            Tensor denseA = cl.fromArray(shape, a.toArray());
            Tensor denseB = cl.fromArray(shape, b.toArray());
            Tensor r = cl.fromArray(shape, OpenClTestSupport.random(rnd, shape));
            Tensor[][] cases = { // expected, actual
                {cl.relu(denseA), cl.relu(a)},
                {cl.add(denseA, denseB), cl.add(a, b)},
                {cl.add(denseA, denseB), cl.add(denseA, b)},
                {cl.positiveShare(denseA, denseB, r, 1e-6f), cl.positiveShare(a, b, r, 1e-6f)},
                {cl.positiveShare(denseB, denseA, r, 1e-6f), cl.positiveShare(denseB, a, r, 1e-6f)},
                {cl.addRelu(denseA, denseB), cl.addRelu(a, denseB)},
                {cl.positiveShare(denseA, denseB, r, 1e-6f), cl.positiveShares(a, denseB, r, 1e-6f)[0]},
                {cl.positiveShare(denseB, denseA, r, 1e-6f), cl.positiveShares(a, denseB, r, 1e-6f)[1]}};
            for (Tensor[] c : cases) {
                assertTrue(padded(c[1]));
                assertEquals(ClDevice.planeStride(a), ClDevice.planeStride(c[1]));
                assertArrayEquals(c[0].toArray(), c[1].toArray());
                Tensor w = cl.fromArray(Shape.of(3, 5, 1, 1), OpenClTestSupport.random(rnd, Shape.of(3, 5, 1, 1)));
                assertArrayEquals(cl.conv2d(c[0], w, null, ONE).toArray(), cl.conv2d(c[1], w, null, ONE).toArray(),
                        "a convolution reads the padded result");
            }
            assertFalse(padded(cl.add(denseA, denseB)), "dense operands, dense result");
            assertFalse(padded(cl.relu(a.reshape(2, 45, 3, 3))), "reshaped to other planes: a compact copy's result");
        }
    }

    @Test
    void outsideAScopeAndOnWholeVectorsPlanesStayDense() {
        ClDevice cl = OpenClTestSupport.device();
        try (TensorScope scope = TensorScope.open()) {
            Tensor x = cl.zeros(Shape.of(1, 3, 9, 9));
            Tensor w = cl.zeros(Shape.of(4, 3, 1, 1));
            assertFalse(padded(cl.conv2d(x, w, null, ONE)), "no scope");
            try (AlignedPlanes aligned = AlignedPlanes.allow()) {
                // TILE_PX is 4, 8 or 16 by device (16 on PoCL's CPU, less on an H100): 64 is whole vectors, 3 less
                // than one
                assertFalse(padded(cl.conv2d(cl.zeros(Shape.of(1, 3, 8, 8)), w, null, ONE)), "64 values per plane");
                assertFalse(padded(cl.conv2d(cl.zeros(Shape.of(1, 3, 3, 1)), w, null, ONE)), "3 values per plane");
            }
        }
    }

    @Test
    void paddedMemoryIsFreed() {
        ClDevice cl = OpenClTestSupport.device();
        long start = cl.liveBytes();
        try (TensorScope scope = TensorScope.open()) {
            Tensor x = paddedInput(cl, Shape.of(2, 8, 9, 9), new Random(7));
            assertEquals(2L * 8 * 2 * ClDevice.PLANE_ALIGNMENT, ((ClBuffer) x.buffer()).floats(),
                    "two images of 8 planes of 81 values in 128 floats");
            cl.relu(x).toArray();
        }
        assertEquals(start, cl.liveBytes(), "padded tensors and their compact copies are freed");
    }
}
