package io.ucag.runtime;

/**
 * Service-provider hook through which a backend outside this module (the OpenCL one in {@code ucag-kernels})
 * offers devices to {@link Devices}. Registered in {@code META-INF/services/io.ucag.runtime.DeviceProvider}.
 */
public interface DeviceProvider {
    Device.Kind kind();

    /** Opens the preferred device of this backend, or throws {@link DeviceUnavailableException} saying why not. */
    Device open();
}
