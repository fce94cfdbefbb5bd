package io.ucag.eval.run;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The metrics {@code evaluate --metrics} can compute, and the result columns ({@link Score}s) each produces. */
public enum Metric {
    DELETION("deletion", List.of(Score.DELETION)),
    INSERTION("insertion", List.of(Score.INSERTION)),
    POINTING("pointing", List.of(Score.POINTING)),
    ENERGY("energy", List.of(Score.ENERGY)),
    DENSITY("density", List.of(Score.DENSITY_POSITIVE, Score.DENSITY_NEGATIVE));

    private final String key;
    private final List<Score> scores;

    Metric(String key, List<Score> scores) {
        this.key = key;
        this.scores = scores;
    }

    public String key() {
        return key;
    }

    public List<Score> scores() {
        return scores;
    }

    /** A comma-separated list such as {@code deletion,insertion}; {@code all} selects every metric. */
    public static Set<Metric> parse(String list) {
        EnumSet<Metric> out = EnumSet.noneOf(Metric.class);
        for (String part : list.split(",")) {
            String name = part.trim().toLowerCase(Locale.ROOT);
            if (name.equals("all")) {
                out.addAll(EnumSet.allOf(Metric.class));
                continue;
            }
            Metric found = null;
            for (Metric m : values()) {
                if (m.key.equals(name)) {
                    found = m;
                }
            }
            if (found == null) {
                throw new IllegalArgumentException("unknown metric '" + part.trim() + "'; choose from "
                        + "deletion, insertion, pointing, energy, density (or all)");
            }
            out.add(found);
        }
        return out;
    }
}
