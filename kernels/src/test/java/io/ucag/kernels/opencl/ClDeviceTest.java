package io.ucag.kernels.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.kernels.OpenClTestSupport;
import io.ucag.runtime.Device;
import io.ucag.runtime.DeviceRace;
import io.ucag.runtime.Devices;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.java.JavaDevice;
import java.util.List;
import org.jocl.CL;
import org.junit.jupiter.api.Test;

class ClDeviceTest {

    @Test
    void roundTripsValuesAndFillsZeros() {
        ClDevice d = OpenClTestSupport.device();
        float[] values = {1.5f, -2f, 0f, Float.NaN, Float.POSITIVE_INFINITY, 3e-38f, 7f};
        try (Tensor t = d.fromArray(Shape.of(7), values); Tensor z = d.zeros(Shape.of(3, 5))) {
            assertArrayEquals(values, t.toArray());
            assertArrayEquals(new float[15], z.toArray());
        }
    }

    @Test
    void launchesACachedKernel() {
        ClDevice d = OpenClTestSupport.device();
        ClKernel affine = d.kernel("test_infra.cl", "affine");
        assertSame(affine, d.kernel("test_infra.cl", "affine"), "kernels are built once and cached");
        try (TensorScope scope = TensorScope.open()) {
            Tensor in = d.fromArray(Shape.of(5), new float[] {0, 1, 2, 3, 4});
            Tensor out = d.allocate(Shape.of(5));
            affine.launch(new long[] {5}, null, in, out, 2f, -1f, 5);
            assertArrayEquals(new float[] {-1, 1, 3, 5, 7}, out.toArray());
        }
    }

    @Test
    void divisionIsCorrectlyRoundedWhereTheDeviceSaysItCanBe() {
        ClDeviceInfo plain = new ClDeviceInfo("p", "d", 0, 1, 1, 1, 1, CL.CL_FP_FMA | CL.CL_FP_ROUND_TO_NEAREST);
        assertFalse(plain.correctlyRoundedDivide());
        ClDeviceInfo ieee = new ClDeviceInfo("p", "d", 0, 1, 1, 1, 1,
                CL.CL_FP_FMA | CL.CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT);
        assertTrue(ieee.correctlyRoundedDivide());
    }

    @Test
    void aBuildErrorCarriesTheBuildLog() {
        ClDevice d = OpenClTestSupport.device();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> d.kernel("test_broken.cl", "broken", "-DVARIANT=2"));
        assertTrue(e.getMessage().contains("test_broken.cl"), e.getMessage());
        assertTrue(e.getMessage().contains("undefined_symbol"), "build log expected in: " + e.getMessage());
    }

    @Test
    void refusesAllocationsAboveTheDeviceCap() {
        ClDevice d = OpenClTestSupport.device();
        long capFloats = d.maxAllocationBytes() / Float.BYTES;
        long rows = capFloats / 1024 + 1;
        if (rows * 1024 > Integer.MAX_VALUE - 8) {
            return; // a device whose cap (PoCL: a share of free memory) exceeds what a Shape can hold: nothing to refuse
        }
        Shape tooBig = Shape.of((int) rows, 1024);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.allocate(tooBig));
        assertTrue(e.getMessage().contains("CL_DEVICE_MAX_MEM_ALLOC_SIZE"), e.getMessage());
    }

    @Test
    void reshapeSharesMemoryAndCloseIsIdempotent() {
        ClDevice d = OpenClTestSupport.device();
        Tensor t = d.fromArray(Shape.of(2, 3), new float[] {1, 2, 3, 4, 5, 6});
        Tensor view = t.reshape(3, 2);
        t.close();
        t.close();
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, view.toArray(), "the view keeps the memory alive");
        view.close();
        assertThrows(IllegalStateException.class, view::toArray);
    }

    @Test
    void rejectsTensorsOfAnotherDevice() {
        ClDevice d = OpenClTestSupport.device();
        try (JavaDevice java = new JavaDevice(1); Tensor t = java.fromArray(Shape.of(1), new float[] {1})) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.relu(t));
            assertTrue(e.getMessage().startsWith("relu:"), e.getMessage());
        }
    }

    @Test
    void devicesSelectsOpenClByNameAndAuto() {
        OpenClTestSupport.device();
        try (Device opencl = Devices.open("opencl"); Device auto = Devices.open("auto");
             Device java = new JavaDevice()) {
            assertEquals(Device.Kind.OPENCL, opencl.kind());
            // auto opened the faster one, by the measurement it cached for these two contenders
            int verdict = new DeviceRace(DeviceRace.defaultCacheFile()).fastest(List.of(opencl, java));
            assertEquals(verdict == 0 ? Device.Kind.OPENCL : Device.Kind.JAVA, auto.kind());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Devices.open("cuda"));
        assertTrue(e.getMessage().contains("auto, opencl or java"), e.getMessage());
    }
}
