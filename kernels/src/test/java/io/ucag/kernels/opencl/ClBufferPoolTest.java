package io.ucag.kernels.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.kernels.OpenClTestSupport;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ClBufferPoolTest {
    private static final Shape LARGE = Shape.of(1, 4, 256, 256); // 1 MiB: pooled

    @Test
    void aReleasedLargeBufferIsReusedAndOverwrittenCorrectly() {
        ClDevice d = OpenClTestSupport.device();
        Random rng = new Random(5);
        float[] a = OpenClTestSupport.random(rng, LARGE);
        float[] b = OpenClTestSupport.random(rng, LARGE);
        Tensor first = d.relu(d.fromArray(LARGE, a));
        org.jocl.cl_mem mem = d.mem(first);
        first.close();
        try (TensorScope scope = TensorScope.open()) {
            Tensor input = d.fromArray(LARGE, b); // the most recently released buffer of this size is taken first
            assertSame(mem, d.mem(input));
            Tensor second = d.relu(input);
            float[] expected = b.clone();
            for (int i = 0; i < expected.length; i++) {
                expected[i] = Math.max(0f, expected[i]);
            }
            assertArrayEquals(expected, second.toArray());
        }
    }

    @Test
    void aRequestTakesTheSmallestIdleBufferAtMostASixteenthLarger() {
        ClBufferPool pool = new ClBufferPool(1L << 30);
        long request = 2L << 20;
        org.jocl.cl_mem within = new org.jocl.cl_mem();
        org.jocl.cl_mem smaller = new org.jocl.cl_mem();
        org.jocl.cl_mem tooLarge = new org.jocl.cl_mem();
        pool.lend(3 * request);
        pool.recycle(tooLarge, request + request / 16 + 4);
        pool.recycle(smaller, request - 4);
        pool.recycle(within, request + request / 16);
        ClBufferPool.Reused taken = pool.take(request);
        assertSame(within, taken.mem());
        assertEquals(request + request / 16, taken.bytes(), "the buffer's own size, to be lent and recycled");
        assertNull(pool.take(request), "neither a smaller buffer nor one more than a sixteenth larger");
        assertSame(smaller, pool.take(request - 4).mem());
        assertEquals(tooLarge, pool.take(request + 100).mem());
        assertEquals(0, pool.pooledBytes());
    }

    @Test
    void theIdleMemoryStaysBoundedOverALongRun() {
        ClDevice d = OpenClTestSupport.device();
        float[] values = new float[LARGE.numel()];
        long before = d.pooledBytes(); // the device is shared with other tests: measure the growth
        for (int round = 0; round < 200; round++) {
            try (TensorScope scope = TensorScope.open()) {
                Tensor x = d.fromArray(LARGE, values);
                d.relu(d.exp(d.scale(x, 0.5f)));
            }
        }
        long capacity = Math.min(1024, d.info().globalMemoryBytes() / 4 >> 20) << 20;
        assertTrue(d.pooledBytes() <= capacity, d.pooledBytes() + " bytes pooled");
        long growth = d.pooledBytes() - before;
        assertTrue(growth <= 8L * LARGE.bytes(), "steady state reuses a handful of buffers, not 200: grew by "
                + growth + " bytes");
    }
}
