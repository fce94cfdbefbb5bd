package io.ucag.eval.run;

/**
 * One number per (image, method) in {@code results.jsonl}, and how the summary aggregates it: {@link #key()} is
 * the JSON field name, {@link #higherIsBetter()} the direction in which a method improves, and
 * {@link #classAveraged()} says whether the summary takes the mean over classes of per-class means (pointing
 * games) rather than the mean over samples.
 */
public enum Score {
    DELETION("deletion", "Deletion AUC", false, false),
    INSERTION("insertion", "Insertion AUC", true, false),
    POINTING("pointing", "Pointing game", true, true),
    ENERGY("energy", "Energy pointing", true, true),
    DENSITY_POSITIVE("dplus", "D+", true, false),
    DENSITY_NEGATIVE("dminus", "D-", false, false);

    private final String key;
    private final String title;
    private final boolean higherIsBetter;
    private final boolean classAveraged;

    Score(String key, String title, boolean higherIsBetter, boolean classAveraged) {
        this.key = key;
        this.title = title;
        this.higherIsBetter = higherIsBetter;
        this.classAveraged = classAveraged;
    }

    public String key() {
        return key;
    }

    public String title() {
        return title;
    }

    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    public boolean classAveraged() {
        return classAveraged;
    }
}
