package io.ucag.kernels.opencl;

import io.ucag.kernels.OpenClTestSupport;
import io.ucag.runtime.Device;
import io.ucag.runtime.golden.GoldenCases;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every OpenCL kernel against PyTorch directly: the golden cases of ucag-runtime's tests, on the OpenCL device. */
class ClGoldenOpsTest {

    @TestFactory
    Stream<DynamicTest> openClDeviceMatchesPyTorch() {
        Device d = OpenClTestSupport.device();
        return GoldenCases.load().stream()
                .map(c -> DynamicTest.dynamicTest(c.op() + ": " + c.name(), () -> GoldenCases.check(d, c)));
    }
}
