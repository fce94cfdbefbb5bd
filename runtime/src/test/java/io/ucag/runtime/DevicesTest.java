package io.ucag.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The runtime module alone has no OpenCL backend on its class path: auto must fall back to Java. */
class DevicesTest {

    @Test
    void javaByName() {
        try (Device d = Devices.open(" Java ")) {
            assertEquals(Device.Kind.JAVA, d.kind());
            assertTrue(d.name().startsWith("java"), d.name());
        }
    }

    @Test
    void autoFallsBackToJavaWithoutAnOpenClBackend() {
        try (Device d = Devices.open("auto")) {
            assertEquals(Device.Kind.JAVA, d.kind());
        }
    }

    @Test
    void forcedOpenClWithoutBackendSaysWhatIsMissing() {
        DeviceUnavailableException e = assertThrows(DeviceUnavailableException.class, () -> Devices.open("opencl"));
        assertTrue(e.getMessage().contains("ucag-kernels"), e.getMessage());
    }

    @Test
    void theSystemPropertyChoosesWhenNoNameIsGiven() {
        try (PropertyOverride p = PropertyOverride.of(Devices.PROPERTY, "java"); Device d = Devices.open()) {
            assertEquals(Device.Kind.JAVA, d.kind());
        }
    }

    @Test
    void unknownNamesListTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Devices.open("tpu"));
        assertTrue(e.getMessage().contains("'tpu'") && e.getMessage().contains("auto, opencl or java"),
                e.getMessage());
    }
}
