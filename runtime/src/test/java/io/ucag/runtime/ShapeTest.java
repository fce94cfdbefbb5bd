package io.ucag.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ShapeTest {

    @Test
    void describesAnImageBatch() {
        Shape s = Shape.of(2, 3, 224, 224);
        assertEquals(4, s.rank());
        assertEquals(2 * 3 * 224 * 224, s.numel());
        assertEquals(2L * 3 * 224 * 224 * 4, s.bytes());
        assertEquals(224, s.dim(-1));
        assertEquals(3 * 224, s.size(1, 3));
        assertEquals("(2,3,224,224)", s.toString());
        assertEquals(Shape.of(2, 5, 224, 224), s.with(1, 5));
        assertNotEquals(Shape.of(2, 3, 224), s);
    }

    @Test
    void rejectsNonPositiveDimensionsAndHugeShapes() {
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> Shape.of(1, -3, 4));
        assertTrue(negative.getMessage().contains("[1, -3, 4]"), negative.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Shape.of(0));
        assertThrows(IllegalArgumentException.class, Shape::of);
        IllegalArgumentException huge = assertThrows(IllegalArgumentException.class,
                () -> Shape.of(65536, 65536));
        assertTrue(huge.getMessage().contains("split"), huge.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Shape.of(2, 3).dim(2));
    }

    @Property
    void negativeAxesCountFromTheEnd(@ForAll @IntRange(min = 1, max = 6) int rank,
                                     @ForAll @IntRange(min = 1, max = 6) int back) {
        int[] dims = new int[rank];
        for (int i = 0; i < rank; i++) {
            dims[i] = i + 2;
        }
        Shape s = Shape.of(dims);
        if (back <= rank) {
            assertEquals(rank - back, s.normalizeAxis(-back));
            assertEquals(dims[rank - back], s.dim(-back));
        } else {
            assertThrows(IllegalArgumentException.class, () -> s.normalizeAxis(-back));
        }
    }
}
