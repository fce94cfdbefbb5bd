package io.ucag.eval.run;

import io.ucag.eval.AtomicFiles;
import io.ucag.weights.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings that decide the numbers in {@code results.jsonl} (model, weights, crop, metric parameters, UCAG
 * parameters, dataset), kept in {@code settings.json} beside it, so that resuming with other settings fails
 * instead of mixing incomparable lines. Methods, --limit, batch sizes and the device may change between runs.
 */
public final class RunSettings {
    private RunSettings() {
    }

    /** Writes {@code settings} to {@code dir/settings.json}, or checks them against the file already there. */
    public static void recordOrCheck(Path dir, Map<String, String> settings) throws IOException {
        Path file = dir.resolve("settings.json");
        if (Files.exists(file)) {
            Map<String, Object> old;
            try {
                @SuppressWarnings("unchecked")
                Map<String, Object> parsed = (Map<String, Object>) Json.parse(Files.readString(file));
                old = parsed;
            } catch (Json.JsonException | ClassCastException e) {
                throw new IOException(file + ": unreadable (" + e.getMessage() + "); delete it to start afresh");
            }
            List<String> differences = new ArrayList<>();
            for (Map.Entry<String, String> e : settings.entrySet()) {
                Object was = old.get(e.getKey());
                if (!e.getValue().equals(was)) {
                    differences.add(e.getKey() + " " + (was == null ? "(unset)" : was) + " -> " + e.getValue());
                }
            }
            if (!differences.isEmpty()) {
                throw new IllegalArgumentException(dir + " holds results made with other settings ("
                        + String.join("; ", differences) + "): use the same settings to resume, or another --out");
            }
            return;
        }
        AtomicFiles.write(file, Json.write(new LinkedHashMap<>(settings)) + "\n");
    }
}
