package io.ucag.kernels.opencl;

import io.ucag.runtime.Device;
import io.ucag.runtime.DeviceProvider;

/** Offers the OpenCL backend to {@link io.ucag.runtime.Devices}. */
public final class ClDeviceProvider implements DeviceProvider {
    @Override
    public Device.Kind kind() {
        return Device.Kind.OPENCL;
    }

    @Override
    public Device open() {
        return ClDevice.open();
    }
}
