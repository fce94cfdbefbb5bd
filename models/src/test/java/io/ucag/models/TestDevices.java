package io.ucag.models;

import static org.junit.jupiter.api.Assertions.fail;

import io.ucag.kernels.opencl.ClDevice;
import io.ucag.runtime.Device;
import io.ucag.runtime.DeviceUnavailableException;
import io.ucag.runtime.java.JavaDevice;
import org.junit.jupiter.api.Assumptions;

/** The devices models' tests run on, shared by the test classes of one JVM (kernels are compiled once). */
public final class TestDevices {
    private static final JavaDevice JAVA = new JavaDevice(2);
    private static ClDevice openCl;
    private static String openClUnavailable;

    private TestDevices() {
    }

    /** {@code java} or {@code opencl} (see {@link #openCl()}). */
    public static Device device(String kind) {
        return switch (kind) {
            case "java" -> JAVA;
            case "opencl" -> openCl();
            default -> throw new IllegalArgumentException("unknown device kind '" + kind + "'");
        };
    }

    /** The shared OpenCL device; skips the test without one, except under CI=true (as kernels' tests). */
    public static synchronized Device openCl() {
        if (openCl == null && openClUnavailable == null) {
            try {
                openCl = ClDevice.open();
            } catch (DeviceUnavailableException e) {
                openClUnavailable = e.getMessage();
            }
        }
        if (openCl == null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("CI=true requires an OpenCL device, but: " + openClUnavailable);
            }
            Assumptions.abort("no OpenCL device: " + openClUnavailable);
        }
        return openCl;
    }
}
