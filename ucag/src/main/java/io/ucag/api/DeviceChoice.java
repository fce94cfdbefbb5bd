package io.ucag.api;

import io.ucag.runtime.Device;
import io.ucag.runtime.DeviceUnavailableException;
import io.ucag.runtime.Devices;
import java.util.Locale;

/**
 * Which device runs the network: the OpenCL device (hand-written kernels, needs an OpenCL driver and the
 * ucag-kernels jar), the pure-Java reference device, or {@link #AUTO}. {@link #CONFIGURED} defers to the system
 * property {@code ucag.device} or the environment variable {@code UCAG_DEVICE}, else AUTO. The choice is logged
 * (System.Logger {@code io.ucag.runtime.Devices}, INFO).
 */
public enum DeviceChoice {
    /** OpenCL if any OpenCL device opens (GPUs before CPUs), else Java. */
    AUTO,
    /** The OpenCL device; opening fails with {@link DeviceUnavailableException} saying what to install. */
    OPENCL,
    /** The pure-Java device ({@code -Ducag.java.threads=N} sets its threads). */
    JAVA,
    /** {@code -Ducag.device=...}, else {@code UCAG_DEVICE=...}, else {@link #AUTO}. */
    CONFIGURED;

    /** Opens a new device; the caller closes it (after every model and tensor on it). */
    public Device open() {
        return this == CONFIGURED ? Devices.open() : Devices.open(name().toLowerCase(Locale.ROOT));
    }

    /** {@code auto}, {@code opencl}, {@code java} or {@code configured}, case-insensitive. */
    public static DeviceChoice parse(String name) {
        for (DeviceChoice c : values()) {
            if (c.name().equalsIgnoreCase(name.trim())) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown device '" + name + "': choose auto, opencl, java or configured");
    }
}
