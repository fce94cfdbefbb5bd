package io.ucag.eval;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.eval.run.RunSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunSettingsTest {
    @TempDir
    Path dir;

    @Test
    void resumingWithOtherSettingsIsRefusedNamingTheDifference() throws IOException {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("model", "resnet50-keras");
        s.put("step", "1792");
        RunSettings.recordOrCheck(dir, s);
        RunSettings.recordOrCheck(dir, s); // the same: fine
        s.put("step", "896");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunSettings.recordOrCheck(dir, s));
        assertTrue(e.getMessage().contains("step 1792 -> 896"), e.getMessage());
    }
}
