package io.ucag.runtime.java;

import java.lang.System.Logger.Level;

/**
 * Picks the {@link GemmKernel} of this JVM, once: {@link VectorGemmKernel} when the module jdk.incubator.vector is
 * in the boot layer ({@code java --add-modules jdk.incubator.vector ...}) and the system property
 * {@value #PROPERTY} is not {@code false}, else {@link PlainGemmKernel}. The vector class is loaded by name only
 * after that check, so a JVM without the module never tries to link it. Logs the choice once.
 */
final class GemmKernels {
    /** Set to {@code false} to use the plain-Java kernel even when the Vector API is present. */
    static final String PROPERTY = "ucag.java.vector";
    private static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final GemmKernel DEFAULT = choose();

    private GemmKernels() {
    }

    /** The kernel this JVM uses. */
    static GemmKernel preferred() {
        return DEFAULT;
    }

    /** The plain-Java kernel, present on every JVM. */
    static GemmKernel plain() {
        return new PlainGemmKernel();
    }

    /** Whether {@link #vector()} can be called on this JVM. */
    static boolean vectorAvailable() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    }

    /** The Vector API kernel; only call when {@link #vectorAvailable()}. */
    static GemmKernel vector() {
        if (!vectorAvailable()) {
            throw new IllegalStateException("the Vector API kernel needs java --add-modules " + VECTOR_MODULE);
        }
        try {
            return (GemmKernel) Class.forName(GemmKernels.class.getPackageName() + ".VectorGemmKernel")
                    .getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load the Vector API GEMM kernel", e);
        }
    }

    private static GemmKernel choose() {
        System.Logger log = System.getLogger(GemmKernels.class.getName());
        boolean wanted = !"false".equalsIgnoreCase(System.getProperty(PROPERTY, "true"));
        GemmKernel kernel;
        if (!wanted) {
            kernel = plain();
            log.log(Level.INFO, "Java device GEMM: {0} ({1}=false)", kernel.name(), PROPERTY);
        } else if (vectorAvailable()) {
            kernel = vector();
            log.log(Level.INFO, "Java device GEMM: {0}", kernel.name());
        } else {
            kernel = plain();
            log.log(Level.INFO, "Java device GEMM: {0}; start java with --add-modules " + VECTOR_MODULE
                    + " for the faster Vector API kernel", kernel.name());
        }
        return kernel;
    }
}
