package io.ucag.kernels.opencl;

import static org.jocl.CL.CL_DEVICE_TYPE_ALL;
import static org.jocl.CL.CL_DEVICE_TYPE_CPU;
import static org.jocl.CL.CL_DEVICE_TYPE_GPU;
import static org.jocl.CL.clGetDeviceIDs;
import static org.jocl.CL.clGetPlatformIDs;

import io.ucag.runtime.DeviceUnavailableException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.jocl.CL;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * Finds OpenCL devices: GPUs first, then CPUs, then anything else. The system property
 * {@code ucag.opencl.device} (a case-insensitive substring of "platform / device name") narrows the choice.
 */
final class ClDeviceSelector {
    /** System property naming (a substring of) the OpenCL platform or device to use. */
    static final String DEVICE_PROPERTY = "ucag.opencl.device";

    static final String INSTALL_HINT = "install an OpenCL driver and ICD loader (on Debian/Ubuntu CPUs: "
            + "apt-get install -y pocl-opencl-icd ocl-icd-libopencl1) or use --device java";

    record Candidate(cl_platform_id platform, cl_device_id device, ClDeviceInfo info) {
    }

    private ClDeviceSelector() {
    }

    static Candidate select() {
        List<Candidate> all = discover();
        String wanted = System.getProperty(DEVICE_PROPERTY, "").trim().toLowerCase(Locale.ROOT);
        List<Candidate> matching = all.stream()
                .filter(c -> wanted.isEmpty() || c.info().description().toLowerCase(Locale.ROOT).contains(wanted))
                .sorted(Comparator.comparingInt(c -> rank(c.info().type())))
                .toList();
        if (matching.isEmpty()) {
            throw new DeviceUnavailableException("no OpenCL device matches " + DEVICE_PROPERTY + "='" + wanted
                    + "'; available: " + all.stream().map(c -> c.info().description()).toList());
        }
        return matching.get(0);
    }

    static List<Candidate> discover() {
        List<Candidate> found = new ArrayList<>();
        try {
            CL.setExceptionsEnabled(true);
            int[] count = new int[1];
            clGetPlatformIDs(0, null, count);
            cl_platform_id[] platforms = new cl_platform_id[count[0]];
            clGetPlatformIDs(platforms.length, platforms, null);
            for (cl_platform_id platform : platforms) {
                int[] n = new int[1];
                try {
                    clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 0, null, n);
                } catch (RuntimeException e) {
                    continue; // a platform without devices (CL_DEVICE_NOT_FOUND)
                }
                cl_device_id[] devices = new cl_device_id[n[0]];
                clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, devices.length, devices, null);
                for (cl_device_id d : devices) {
                    found.add(new Candidate(platform, d, ClDeviceInfo.read(platform, d)));
                }
            }
        } catch (RuntimeException | LinkageError e) {
            throw new DeviceUnavailableException("no OpenCL platform could be opened (" + e.getMessage() + "): "
                    + INSTALL_HINT, e);
        }
        if (found.isEmpty()) {
            throw new DeviceUnavailableException("no OpenCL device found: " + INSTALL_HINT);
        }
        return found;
    }

    private static int rank(long type) {
        if ((type & CL_DEVICE_TYPE_GPU) != 0) {
            return 0;
        }
        return (type & CL_DEVICE_TYPE_CPU) != 0 ? 1 : 2;
    }
}
