package io.ucag.kernels.opencl;

import static org.jocl.CL.CL_DEVICE_GLOBAL_MEM_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_COMPUTE_UNITS;
import static org.jocl.CL.CL_DEVICE_MAX_MEM_ALLOC_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_WORK_GROUP_SIZE;
import static org.jocl.CL.CL_DEVICE_NAME;
import static org.jocl.CL.CL_DEVICE_SINGLE_FP_CONFIG;
import static org.jocl.CL.CL_DEVICE_TYPE;
import static org.jocl.CL.CL_DEVICE_TYPE_CPU;
import static org.jocl.CL.CL_DEVICE_TYPE_GPU;
import static org.jocl.CL.CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT;
import static org.jocl.CL.CL_PLATFORM_NAME;
import static org.jocl.CL.clGetDeviceInfo;
import static org.jocl.CL.clGetPlatformInfo;

import java.nio.charset.StandardCharsets;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * The facts about an OpenCL device that the backend uses to choose and tune kernels.
 *
 * @param singleFpConfig CL_DEVICE_SINGLE_FP_CONFIG, the device's float capabilities (a bit field)
 */
public record ClDeviceInfo(String platformName, String deviceName, long type, int computeUnits,
                           long maxAllocationBytes, long globalMemoryBytes, long maxWorkGroupSize,
                           long singleFpConfig) {

    static ClDeviceInfo read(cl_platform_id platform, cl_device_id device) {
        return new ClDeviceInfo(
                platformString(platform),
                deviceString(device, CL_DEVICE_NAME),
                deviceLong(device, CL_DEVICE_TYPE),
                (int) deviceInt(device, CL_DEVICE_MAX_COMPUTE_UNITS),
                deviceLong(device, CL_DEVICE_MAX_MEM_ALLOC_SIZE),
                deviceLong(device, CL_DEVICE_GLOBAL_MEM_SIZE),
                deviceSizeT(device, CL_DEVICE_MAX_WORK_GROUP_SIZE),
                deviceLong(device, CL_DEVICE_SINGLE_FP_CONFIG));
    }

    /**
     * Whether kernels may be built with {@code -cl-fp32-correctly-rounded-divide-sqrt}. OpenCL's float division
     * may be 2.5 ulp off without it, and NVIDIA's is (an H100 gave LRP quotients and average-pool gradients one
     * ulp from the Java reference's); PoCL offers it too (CL_DEVICE_SINGLE_FP_CONFIG 0xbf on this project's CPUs).
     */
    public boolean correctlyRoundedDivide() {
        return (singleFpConfig & CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT) != 0;
    }

    public boolean isGpu() {
        return (type & CL_DEVICE_TYPE_GPU) != 0;
    }

    public boolean isCpu() {
        return (type & CL_DEVICE_TYPE_CPU) != 0;
    }

    /** e.g. {@code Portable Computing Language / pthread-skylake-avx512-AMD EPYC (CPU)}. */
    public String description() {
        return platformName + " / " + deviceName + (isGpu() ? " (GPU)" : isCpu() ? " (CPU)" : "");
    }

    private static String platformString(cl_platform_id platform) {
        long[] size = new long[1];
        clGetPlatformInfo(platform, CL_PLATFORM_NAME, 0, null, size);
        byte[] buffer = new byte[(int) size[0]];
        clGetPlatformInfo(platform, CL_PLATFORM_NAME, buffer.length, Pointer.to(buffer), null);
        return cString(buffer);
    }

    private static String deviceString(cl_device_id device, int param) {
        long[] size = new long[1];
        clGetDeviceInfo(device, param, 0, null, size);
        byte[] buffer = new byte[(int) size[0]];
        clGetDeviceInfo(device, param, buffer.length, Pointer.to(buffer), null);
        return cString(buffer);
    }

    private static long deviceLong(cl_device_id device, int param) {
        long[] v = new long[1];
        clGetDeviceInfo(device, param, Sizeof.cl_ulong, Pointer.to(v), null);
        return v[0];
    }

    private static long deviceInt(cl_device_id device, int param) {
        int[] v = new int[1];
        clGetDeviceInfo(device, param, Sizeof.cl_uint, Pointer.to(v), null);
        return v[0];
    }

    private static long deviceSizeT(cl_device_id device, int param) {
        long[] v = new long[1];
        clGetDeviceInfo(device, param, Sizeof.size_t, Pointer.to(v), null);
        return v[0];
    }

    private static String cString(byte[] bytes) {
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8).trim();
    }
}
