package io.ucag.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.models.Model;
import io.ucag.models.Preprocessing;
import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.java.JavaDevice;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The shared setup of the relative-method property tests (RAP, RSP, AGF): the golden nets of {@link RelativeNets}
 * loaded once on a Java device, random photo-like inputs for them, and the OpenCL-equals-Java check. Open it in a
 * {@code @BeforeContainer}, close it in the {@code @AfterContainer}.
 */
final class RelativePhotos implements AutoCloseable {
    private final JavaDevice device = new JavaDevice(2);
    private final Map<String, Model> models = new HashMap<>();

    RelativePhotos() {
        for (String net : List.of("vgg", "resnet")) {
            models.put(net, RelativeGolden.load(net).model(device));
        }
    }

    JavaDevice device() {
        return device;
    }

    /** The golden net {@code vgg} or {@code resnet} on {@link #device()}. */
    Model model(String net) {
        return models.get(net);
    }

    /** A batch of {@code count} images whose pixels are uniform in [0,1], normalised as torchvision (N,3,H,W). */
    static float[] photos(long seed, int count, int height, int width) {
        Random rng = new Random(seed);
        Preprocessing p = Preprocessing.TORCHVISION;
        int plane = height * width;
        float[] v = new float[count * 3 * plane];
        for (int i = 0; i < v.length; i++) {
            int c = (i / plane) % 3;
            v[i] = (rng.nextFloat() - p.mean()[c]) / p.std()[c];
        }
        return v;
    }

    /** {@link #photos} of the net's input size (vgg 16x20, resnet 18x14) on device {@code d}. */
    static Tensor input(Device d, String net, long seed, int count) {
        Shape s = net.equals("vgg") ? Shape.of(count, 3, 16, 20) : Shape.of(count, 3, 18, 14);
        return d.fromArray(s, photos(seed, count, s.dim(2), s.dim(3)));
    }

    /** The method's maps on OpenCL equal Java's (and are not all zero) on both nets, one photo per target. */
    void assertOpenClEqualsJava(Explainer method, long seed, int[] targets) {
        try (Device opencl = RelativeGoldenTest.openCl()) {
            for (String net : List.of("vgg", "resnet")) {
                try (Model clModel = RelativeGolden.load(net).model(opencl); TensorScope scope = TensorScope.open()) {
                    float[] java = method.explain(model(net), input(device, net, seed, targets.length), targets)
                            .maps().toArray();
                    float[] cl = method.explain(clModel, input(opencl, net, seed, targets.length), targets)
                            .maps().toArray();
                    double max = 0;
                    for (float v : java) {
                        max = Math.max(max, Math.abs(v));
                    }
                    assertTrue(max > 0, net + ": an all-zero map");
                    for (int i = 0; i < java.length; i++) {
                        assertEquals(java[i], cl[i], 1e-4 * (Math.abs(java[i]) + 0.1 * max), net + " pixel " + i);
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        models.values().forEach(Model::close);
        device.close();
    }
}
