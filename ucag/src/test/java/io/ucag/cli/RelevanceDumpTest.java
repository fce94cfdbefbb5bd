package io.ucag.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.eval.TinyNet;
import io.ucag.explain.Rap;
import io.ucag.models.Model;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.io.Npy;
import io.ucag.runtime.java.JavaDevice;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --dump-layer} for RAP: the relevance at the named layers' inputs, written and summed. */
class RelevanceDumpTest {
    private static final JavaDevice D = new JavaDevice(2);

    @Test
    void rapDumpWritesTheInputRelevanceOfEachNamedLayerAndItsSum(@TempDir Path dir) throws IOException {
        Random rng = new Random(4);
        float[] pixels = new float[3 * TinyNet.SIDE * TinyNet.SIDE];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) rng.nextGaussian();
        }
        StringWriter text = new StringWriter();
        try (Model model = TinyNet.load(D, 7);
             Tensor input = D.fromArray(Shape.of(1, 3, TinyNet.SIDE, TinyNet.SIDE), pixels)) {
            RelevanceDump.writeObserved(model, input, new Rap(), 2, List.of("fc", "features.3"), dir,
                    new PrintWriter(text, true));
            float[] fcInput = Npy.read(dir.resolve("fc.input-relevance.npy")).data();
            assertArrayEquals(new int[] {1, 8}, Npy.read(dir.resolve("fc.input-relevance.npy")).shape());
            assertArrayEquals(new int[] {1, 6, 16, 16}, Npy.read(dir.resolve("features.3.input-relevance.npy")).shape());
            double sum = 0;
            for (float v : fcInput) {
                sum += v;
            }
            float logit = model.forward(input).toArray()[2];
            assertEquals(logit, sum, 1e-3 * Math.abs(logit), "RAP conserves the target logit through fc");
            assertTrue(text.toString().contains("fc "), text.toString());
            assertTrue(text.toString().contains("features.3"), text.toString());

            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RelevanceDump
                    .writeObserved(model, input, new Rap(), 2, List.of("nope"), dir, new PrintWriter(text, true)));
            assertTrue(e.getMessage().contains("no layer 'nope'"), e.getMessage());
        }
    }
}
