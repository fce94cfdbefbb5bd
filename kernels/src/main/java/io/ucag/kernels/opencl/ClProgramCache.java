package io.ucag.kernels.opencl;

import static org.jocl.CL.CL_PROGRAM_BUILD_LOG;
import static org.jocl.CL.clBuildProgram;
import static org.jocl.CL.clCreateKernel;
import static org.jocl.CL.clCreateProgramWithSource;
import static org.jocl.CL.clGetProgramBuildInfo;
import static org.jocl.CL.clReleaseKernel;
import static org.jocl.CL.clReleaseProgram;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_program;

/**
 * Builds each kernel source file once per (file, build options) and keeps its programs and kernels until the
 * device closes. Sources are classpath resources under {@code io/ucag/kernels/opencl/}; {@code common.cl} is
 * prepended to each.
 */
final class ClProgramCache {
    static final String RESOURCE_DIR = "/io/ucag/kernels/opencl/";

    private final cl_context context;
    private final cl_device_id device;
    private final cl_command_queue queue;
    private final String deviceOptions;
    private final Map<String, cl_program> programs = new ConcurrentHashMap<>();
    private final Map<String, ClKernel> kernels = new ConcurrentHashMap<>();
    private final Map<ClKernel, cl_kernel> handles = new ConcurrentHashMap<>();

    private final ClKernel.PlaneCompactor compactor;

    /** @param deviceOptions build options every program of this device gets, after its own */
    ClProgramCache(cl_context context, cl_device_id device, cl_command_queue queue, String deviceOptions,
                   ClKernel.PlaneCompactor compactor) {
        this.context = context;
        this.device = device;
        this.queue = queue;
        this.deviceOptions = deviceOptions;
        this.compactor = compactor;
    }

    ClKernel kernel(String file, String kernelName, String options) {
        String programKey = file + "|" + options;
        return kernels.computeIfAbsent(programKey + "|" + kernelName, k -> {
            cl_program program = programs.computeIfAbsent(programKey, pk -> build(file, options));
            try {
                cl_kernel handle = clCreateKernel(program, kernelName, null);
                ClKernel kernel = new ClKernel(handle, queue, kernelName, compactor);
                handles.put(kernel, handle);
                return kernel;
            } catch (CLException e) {
                throw new IllegalStateException("opencl: no kernel '" + kernelName + "' in " + file + ": "
                        + e.getMessage(), e);
            }
        });
    }

    private cl_program build(String file, String options) {
        String source = readResource("common.cl") + "\n#line 1\n" + readResource(file);
        cl_program program = clCreateProgramWithSource(context, 1, new String[] {source}, null, null);
        try {
            clBuildProgram(program, 1, new cl_device_id[] {device}, (options + " " + deviceOptions).trim(), null,
                    null);
        } catch (CLException e) {
            String log = buildLog(program);
            clReleaseProgram(program);
            throw new IllegalStateException("opencl: building " + file + " with options '" + options
                    + "' failed. Build log:\n" + log, e);
        }
        return program;
    }

    private String buildLog(cl_program program) {
        long[] size = new long[1];
        clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, 0, null, size);
        byte[] log = new byte[(int) size[0]];
        clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, log.length, Pointer.to(log), null);
        return new String(log, StandardCharsets.UTF_8).trim();
    }

    static String readResource(String file) {
        try (InputStream in = ClProgramCache.class.getResourceAsStream(RESOURCE_DIR + file)) {
            if (in == null) {
                throw new IllegalStateException("opencl: kernel source " + RESOURCE_DIR + file
                        + " is missing from the class path (is the ucag-kernels jar complete?)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("opencl: cannot read kernel source " + file, e);
        }
    }

    void release() {
        handles.values().forEach(k -> clReleaseKernel(k));
        programs.values().forEach(p -> clReleaseProgram(p));
        handles.clear();
        kernels.clear();
        programs.clear();
    }
}
