package io.ucag.kernels.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.kernels.OpenClTestSupport;
import io.ucag.runtime.PropertyOverride;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.ops.Conv2dParams;
import org.jocl.CL;
import org.junit.jupiter.api.Test;

/**
 * The tiled (GPU) convolution's settings; its numbers are checked with conv.cl's in {@link ClConvTest} (random and
 * listed geometries, every {@link TiledConvSetting#TILES}) and {@link ClConvEpilogueTest} (fused ops bit for bit).
 */
class ClTiledConvTest {
    @Test
    void tilesParseAndMustStageWholeSlices() {
        assertEquals(ClTiledConv.Tiles.DEFAULT, ClTiledConv.Tiles.parse(" 64, 64,32,4,4"));
        assertEquals(new ClTiledConv.Tiles(128, 128, 16, 8, 8), ClTiledConv.Tiles.parse("128,128,16,8,8"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClTiledConv.Tiles.parse("64,64,16,4"));
        assertTrue(e.getMessage().contains(ClTiledConv.TILES_PROPERTY), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ClTiledConv.Tiles.parse("64,64,sixteen,4,4"));
        assertTrue(e.getMessage().contains(ClTiledConv.TILES_PROPERTY) && e.getMessage().contains("sixteen"),
                e.getMessage());
        // 64 / 3 is no whole number of items; 256 items stage 256 / 24 = 10.7 filters per pass; wptM 0
        assertThrows(IllegalArgumentException.class, () -> new ClTiledConv.Tiles(64, 64, 16, 3, 4));
        assertThrows(IllegalArgumentException.class, () -> new ClTiledConv.Tiles(64, 64, 24, 4, 4));
        assertThrows(IllegalArgumentException.class, () -> new ClTiledConv.Tiles(64, 64, 16, 0, 4));
    }

    @Test
    void devicesWithSmallWorkGroupsGetSmallerTiles() {
        assertEquals(ClTiledConv.Tiles.DEFAULT, ClTiledConv.Tiles.forDevice(info(1024)));
        assertEquals(ClTiledConv.Tiles.DEFAULT, ClTiledConv.Tiles.forDevice(info(256)));
        assertEquals(ClTiledConv.Tiles.SMALL_GROUPS, ClTiledConv.Tiles.forDevice(info(128)));
        assertEquals(64, ClTiledConv.Tiles.SMALL_GROUPS.items());
    }

    private static ClDeviceInfo info(long maxWorkGroupSize) {
        return new ClDeviceInfo("p", "d", CL.CL_DEVICE_TYPE_GPU, 1, 1, 1, maxWorkGroupSize, 0);
    }

    @Test
    void tilesLargerThanTheDevicesWorkGroupsAreRefusedSayingSo() {
        ClDevice cl = OpenClTestSupport.device();
        ClTiledConv.Tiles huge = new ClTiledConv.Tiles(256, 256, 256, 1, 1); // 65536 items per group
        try (TensorScope scope = TensorScope.open()) {
            Tensor x = cl.zeros(Shape.of(1, 2, 5, 5));
            Tensor w = cl.zeros(Shape.of(3, 2, 3, 3));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClTiledConv.conv2d(cl, x,
                    w, Conv2dParams.of(1, 1), new ClConv.Epilogue(null, null, false), huge));
            assertTrue(e.getMessage().contains("65536 items") && e.getMessage().contains(ClTiledConv.TILES_PROPERTY),
                    e.getMessage());
        }
    }

    @Test
    void aBadSettingNamesTheProperty() {
        ClDevice cl = OpenClTestSupport.device();
        try (PropertyOverride p = PropertyOverride.of(ClTiledConv.PROPERTY, "sometimes")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClTiledConv.appliesTo(cl));
            assertEquals("-Ducag.opencl.tiledConv must be auto, true or false, got 'sometimes'", e.getMessage());
            p.and(ClTiledConv.PROPERTY, null);
            assertEquals(cl.info().isGpu(), ClTiledConv.appliesTo(cl), "auto: GPUs take the tiled convolution");
        }
    }
}
