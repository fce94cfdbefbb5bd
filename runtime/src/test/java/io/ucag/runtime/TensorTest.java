package io.ucag.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.runtime.java.JavaDevice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class TensorTest {
    private static final JavaDevice DEVICE = new JavaDevice(1);

    @AfterAll
    static void closeDevice() {
        DEVICE.close();
    }

    @Test
    void fromArrayCopiesAndChecksTheLength() {
        float[] values = {1, 2, 3, 4, 5, 6};
        Tensor t = DEVICE.fromArray(Shape.of(2, 3), values);
        values[0] = 99;
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, t.toArray(), "the tensor owns a copy");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DEVICE.fromArray(Shape.of(2, 2), values));
        assertTrue(e.getMessage().contains("(2,2)"), e.getMessage());
        t.close();
    }

    @Test
    void closedTensorsRefuseUseAndCloseTwiceIsHarmless() {
        Tensor t = DEVICE.zeros(Shape.of(3));
        t.close();
        t.close();
        assertTrue(t.isClosed());
        IllegalStateException e = assertThrows(IllegalStateException.class, t::toArray);
        assertTrue(e.getMessage().contains("(3)"), e.getMessage());
    }

    @Test
    void reshapeIsAViewThatOutlivesItsSource() {
        Tensor t = DEVICE.fromArray(Shape.of(2, 3), new float[] {1, 2, 3, 4, 5, 6});
        Tensor v = t.reshape(6);
        t.close();
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, v.toArray());
        assertThrows(IllegalArgumentException.class, () -> v.reshape(4));
        v.close();
    }

    @Test
    void scopeClosesWhatItCreatedExceptKeptTensors() {
        Tensor outside = DEVICE.zeros(Shape.of(1));
        Tensor inner;
        Tensor kept;
        try (TensorScope scope = TensorScope.open()) {
            inner = DEVICE.zeros(Shape.of(2));
            kept = scope.keep(DEVICE.zeros(Shape.of(3)));
            assertThrows(IllegalArgumentException.class, () -> scope.keep(outside));
        }
        assertTrue(inner.isClosed());
        assertFalse(kept.isClosed());
        assertFalse(outside.isClosed());
        kept.close();
        outside.close();
    }

    @Test
    void keptTensorsMoveToTheEnclosingScope() {
        Tensor kept;
        try (TensorScope outer = TensorScope.open()) {
            try (TensorScope inner = TensorScope.open()) {
                kept = inner.keep(DEVICE.zeros(Shape.of(2)));
            }
            assertFalse(kept.isClosed());
            assertSame(kept, outer.keep(kept), "the outer scope now owns it");
            kept.close();
        }
    }

    @Test
    void scopesCloseInnermostFirst() {
        TensorScope outer = TensorScope.open();
        TensorScope inner = TensorScope.open();
        assertThrows(IllegalStateException.class, outer::close);
        inner.close();
        outer.close();
    }

    @Test
    void derivedTensorsAreMadeOnceAndFreedWithTheirSource() {
        int[] made = {0};
        Tensor source = DEVICE.fromArray(Shape.of(2, 2), new float[] {-1, 2, -3, 4});
        java.util.function.Supplier<Tensor> positive = () -> {
            made[0]++;
            return DEVICE.relu(source);
        };
        Tensor first;
        try (TensorScope scope = TensorScope.open()) {
            first = source.derived("positive part", positive);
            assertArrayEquals(new float[] {0, 2, 0, 4}, first.toArray());
        }
        assertTrue(first.isClosed(), "the handle is the scope's, like an op's result");
        Tensor again = source.derived("positive part", positive);
        assertArrayEquals(new float[] {0, 2, 0, 4}, again.toArray());
        assertEquals(1, made[0], "made once, kept with the source");
        Tensor other;
        try (Tensor flat = source.reshape(4)) {
            other = flat.derived("positive part", positive); // a view of another shape: its own entry
        }
        assertEquals(2, made[0]);
        source.close();
        assertFalse(again.isClosed(), "handles outlive the source's own handle");
        assertArrayEquals(new float[] {0, 2, 0, 4}, again.toArray());
        again.close();
        other.close();
        assertThrows(IllegalStateException.class, again::toArray);
    }
}
