package io.ucag.runtime;

import io.ucag.runtime.java.JavaDevice;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/**
 * Opens a device by name: {@code java}, {@code opencl} or {@code auto} (the faster of the two on this machine,
 * measured once and cached by {@link DeviceRace}; Java where no OpenCL device opens). Where no name is given, the system property {@code ucag.device}, then the environment variable
 * {@code UCAG_DEVICE}, then {@code auto} decide. The choice is logged at INFO.
 */
public final class Devices {
    /** System property that selects the device when the caller passes none. */
    public static final String PROPERTY = "ucag.device";
    /** Environment variable that selects the device when neither the caller nor the property does. */
    public static final String ENVIRONMENT = "UCAG_DEVICE";

    private static final System.Logger LOG = System.getLogger(Devices.class.getName());

    private Devices() {
    }

    /** Opens the device named by the property, the environment, or {@code auto}. */
    public static Device open() {
        String name = System.getProperty(PROPERTY);
        if (name == null || name.isBlank()) {
            name = System.getenv(ENVIRONMENT);
        }
        return open(name == null || name.isBlank() ? "auto" : name);
    }

    /** Opens {@code auto}, {@code java} or {@code opencl}; any other name is an error naming the choices. */
    public static Device open(String name) {
        Device device = switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "java" -> new JavaDevice();
            case "opencl" -> openProvider(Device.Kind.OPENCL);
            case "auto" -> openAuto();
            default -> throw new IllegalArgumentException("unknown device '" + name
                    + "': choose auto, opencl or java (flag --device, property " + PROPERTY + ", variable "
                    + ENVIRONMENT + ")");
        };
        LOG.log(System.Logger.Level.INFO, "device: {0}", device.name());
        return device;
    }

    /** The faster of OpenCL (if one opens) and Java on this machine, measured once ({@link DeviceRace}). */
    private static Device openAuto() {
        Device openCl;
        try {
            openCl = openProvider(Device.Kind.OPENCL);
        } catch (DeviceUnavailableException e) {
            LOG.log(System.Logger.Level.INFO, "no OpenCL device ({0}); using the Java backend", e.getMessage());
            return new JavaDevice();
        }
        Device java = new JavaDevice();
        try {
            boolean openClWins = new DeviceRace(DeviceRace.defaultCacheFile()).fastest(List.of(openCl, java)) == 0;
            Device loser = openClWins ? java : openCl;
            loser.close();
            return openClWins ? openCl : java;
        } catch (RuntimeException e) {
            java.close();
            openCl.close();
            throw e;
        }
    }

    private static Device openProvider(Device.Kind kind) {
        for (DeviceProvider p : ServiceLoader.load(DeviceProvider.class)) {
            if (p.kind() == kind) {
                return p.open();
            }
        }
        throw new DeviceUnavailableException("no " + kind + " backend on the class path: add the ucag-kernels jar");
    }
}
