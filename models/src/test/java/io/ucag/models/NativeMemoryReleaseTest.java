package io.ucag.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.kernels.opencl.ClDevice;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.autograd.Gradients;
import io.ucag.runtime.autograd.Tape;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every native buffer a model, its forward passes and a backward pass take is given back: after closing them the
 * OpenCL device's live bytes are where they started (the pool may keep released memory for reuse; that is not
 * live).
 */
class NativeMemoryReleaseTest {
    @Test
    void loadForwardBackwardAndCloseLeaveNoLiveBuffer() {
        ClDevice d = (ClDevice) TestDevices.openCl();
        long before = d.liveBytes();
        ModelSpec spec = ModelZoo.spec("resnet50", 7, 16);
        Random rng = new Random(2);
        float[] image = new float[2 * 3 * 48 * 48];
        for (int i = 0; i < image.length; i++) {
            image[i] = (float) rng.nextGaussian();
        }
        try (Model model = Model.load(spec, FusedConvForwardTest.randomParameters(spec, 3), d)) {
            assertTrue(d.liveBytes() > before, "the weights live on the device");
            try (TensorScope scope = TensorScope.open()) {
                Tensor x = d.fromArray(Shape.of(2, 3, 48, 48), image);
                model.forward(x).toArray();
                try (Tape tape = new Tape()) {
                    Tensor watched = tape.watch(d.fromArray(Shape.of(2, 3, 48, 48), image));
                    Tensor logits = model.forward(tape.on(d), watched, ActivationHook.NONE);
                    try (Gradients g = tape.backward(logits, d.fromArray(logits.shape(), new float[14]))) {
                        g.of(watched).toArray();
                    }
                }
            }
        }
        assertEquals(before, d.liveBytes(), "bytes still held after everything was closed");
    }
}
