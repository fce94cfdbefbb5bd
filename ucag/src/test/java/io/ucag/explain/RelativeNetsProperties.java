package io.ucag.explain;

import io.ucag.runtime.java.JavaDevice;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The lifecycle the RAP, RSP and AGF property tests share: the golden nets of {@link RelativeNets} opened once per
 * test class (jqwik runs containers one after another) and the {@code @ForAll("nets")} provider.
 */
abstract class RelativeNetsProperties {
    static RelativePhotos nets;
    static JavaDevice device;

    @BeforeContainer
    static void open() {
        nets = new RelativePhotos();
        device = nets.device();
    }

    @AfterContainer
    static void close() {
        nets.close();
    }

    @Provide
    Arbitrary<String> nets() {
        return Arbitraries.of("vgg", "resnet");
    }
}
