package io.ucag.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BroadcastPlanTest {

    @Test
    void equalShapesBecomeOneContiguousGroup() {
        BroadcastPlan p = BroadcastPlan.of("add", Shape.of(2, 3, 4), Shape.of(2, 3, 4));
        assertArrayEquals(new int[] {24}, p.dims());
        assertArrayEquals(new int[] {1}, p.stridesA());
        assertArrayEquals(new int[] {1}, p.stridesB());
    }

    @Test
    void channelBiasMergesTheSpatialAxes() {
        BroadcastPlan p = BroadcastPlan.of("add", Shape.of(2, 3, 5, 7), Shape.of(3, 1, 1));
        assertEquals(Shape.of(2, 3, 5, 7), p.outShape());
        assertArrayEquals(new int[] {2, 3, 35}, p.dims());
        assertArrayEquals(new int[] {105, 35, 1}, p.stridesA());
        assertArrayEquals(new int[] {0, 1, 0}, p.stridesB());
    }

    @Test
    void perImageChannelFactorsMergeBatchAndChannel() {
        BroadcastPlan p = BroadcastPlan.of("mul", Shape.of(2, 3, 5, 7), Shape.of(2, 3, 1, 1));
        assertArrayEquals(new int[] {6, 35}, p.dims());
        assertArrayEquals(new int[] {35, 1}, p.stridesA());
        assertArrayEquals(new int[] {1, 0}, p.stridesB());
    }

    @Test
    void scalarAndAllOnesShapes() {
        BroadcastPlan p = BroadcastPlan.of("add", Shape.of(1), Shape.of(4, 1, 6));
        assertEquals(Shape.of(4, 1, 6), p.outShape());
        assertArrayEquals(new int[] {24}, p.dims());
        assertArrayEquals(new int[] {0}, p.stridesA());
        assertArrayEquals(new int[] {1}, p.stridesB());
        BroadcastPlan ones = BroadcastPlan.of("add", Shape.of(1, 1), Shape.of(1));
        assertEquals(Shape.of(1, 1), ones.outShape());
        assertArrayEquals(new int[] {1}, ones.dims());
        assertEquals(1, ones.innerSize());
    }

    @Test
    void outerProductKeepsBothAxes() {
        BroadcastPlan p = BroadcastPlan.of("mul", Shape.of(3, 1), Shape.of(4));
        assertArrayEquals(new int[] {3, 4}, p.dims());
        assertArrayEquals(new int[] {1, 0}, p.stridesA());
        assertArrayEquals(new int[] {0, 1}, p.stridesB());
    }

    @Test
    void alternatingBroadcastAxesCannotMerge() {
        BroadcastPlan p = BroadcastPlan.of("add", Shape.of(2, 1, 3, 1, 5, 1), Shape.of(1, 4, 1, 6, 1, 7));
        assertArrayEquals(new int[] {2, 4, 3, 6, 5, 7}, p.dims());
        assertArrayEquals(new int[] {15, 0, 5, 0, 1, 0}, p.stridesA());
        assertArrayEquals(new int[] {0, 42, 0, 7, 0, 1}, p.stridesB());
    }

    @Test
    void incompatibleShapesThrowNamingTheOp() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> BroadcastPlan.of("mul", Shape.of(2, 3), Shape.of(4, 3, 3)));
        assertEquals("mul: shapes (2,3) and (4,3,3) cannot be broadcast together (axis 1)", e.getMessage());
    }
}
