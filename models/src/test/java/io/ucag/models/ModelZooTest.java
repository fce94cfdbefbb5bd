package io.ucag.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.models.layers.Layer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A zoo instance adds architectures without touching any other zoo (no global registry). */
class ModelZooTest {
    private static ModelSpec tiny(String name) {
        Layer root = new Layer.Sequential("", List.of(new Layer.Flatten("flatten"), new Layer.Linear("fc", 12, 3)));
        return new ModelSpec(name, root, 2, Preprocessing.TORCHVISION, 3, "flatten");
    }

    @Test
    void anAddedArchitectureIsFoundCaseInsensitivelyByThatZooOnly() {
        ModelSpec spec = tiny("Tiny-Net");
        ModelZoo zoo = ModelZoo.BUILT_IN.with(spec);
        assertSame(spec, zoo.resolve("tiny-net"));
        assertEquals(ModelZoo.NAMES.size() + 1, zoo.names().size());
        assertEquals("tiny-net", zoo.names().get(zoo.names().size() - 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelZoo.BUILT_IN.resolve("tiny-net"));
        assertTrue(e.getMessage().contains("unknown model 'tiny-net'"), e.getMessage());
        assertEquals(ModelZoo.NAMES, ModelZoo.BUILT_IN.names());
    }

    @Test
    void builtInsResolveThroughAnyZoo() {
        ModelZoo zoo = ModelZoo.BUILT_IN.with(tiny("tiny"));
        assertEquals("resnet18", zoo.resolve("ResNet18").architecture());
        assertEquals(1000, zoo.resolve("vgg11").numClasses());
    }

    @Test
    void builtInAndRepeatedNamesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ModelZoo.BUILT_IN.with(tiny("resnet18")));
        assertThrows(IllegalArgumentException.class, () -> ModelZoo.BUILT_IN.with(tiny("vgg-mine")));
        ModelZoo zoo = ModelZoo.BUILT_IN.with(tiny("tiny"));
        assertThrows(IllegalArgumentException.class, () -> zoo.with(tiny("TINY")));
    }

    @Test
    void anUnknownNameListsWhatTheZooHas() {
        ModelZoo zoo = ModelZoo.BUILT_IN.with(tiny("tiny"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> zoo.resolve("alexnet"));
        assertTrue(e.getMessage().contains("tiny]"), e.getMessage());
    }
}
