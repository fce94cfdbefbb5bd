package io.ucag.eval.report;

import io.ucag.eval.run.EvaluationOptions;
import io.ucag.eval.run.ResultRecord;
import io.ucag.eval.run.Score;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The tables of {@code summary.md} and {@code summary.csv}, like the UCAG paper's Tables 1-3: per method and score
 * the mean with its 95% confidence interval, base and +UCAG side by side, and the paired difference
 * (+UCAG minus base, over the samples both have) with its interval and a verdict.
 */
public final class Summary {
    /** Whether a difference favours UCAG: its 95% interval excludes 0 on the good side, the bad side, or neither. */
    public enum Verdict { BETTER, WORSE, NOT_SIGNIFICANT, UNKNOWN }

    /** Mean seconds per image of one method: explaining, and computing the metrics. */
    public record Timing(int n, double explainSeconds, double metricSeconds) {
    }

    private final List<String> methods;
    private final List<Score> scores;
    private final Map<String, Map<Score, Statistics.Interval>> values = new LinkedHashMap<>();
    private final Map<String, Map<Score, Statistics.Interval>> differences = new LinkedHashMap<>(); // by base
    private final Map<String, Timing> timings = new LinkedHashMap<>();
    private final Map<String, Integer> counts = new HashMap<>();

    private Summary(List<String> methods, List<Score> scores) {
        this.methods = methods;
        this.scores = scores;
    }

    public static Summary of(List<ResultRecord> records) {
        Map<String, Map<String, ResultRecord>> byMethod = new LinkedHashMap<>(); // method -> sample -> record
        Set<Score> present = new LinkedHashSet<>();
        for (ResultRecord r : records) {
            byMethod.computeIfAbsent(r.method(), k -> new LinkedHashMap<>()).putIfAbsent(r.sampleKey(), r);
        }
        for (Score s : Score.values()) {
            if (records.stream().anyMatch(r -> r.scores().containsKey(s))) {
                present.add(s);
            }
        }
        Summary summary = new Summary(order(byMethod.keySet()), List.copyOf(present));
        for (String m : summary.methods) {
            Map<String, ResultRecord> rs = byMethod.get(m);
            summary.counts.put(m, rs.size());
            Map<Score, Statistics.Interval> row = new EnumMap<>(Score.class);
            for (Score s : summary.scores) {
                row.put(s, interval(s, new ArrayList<>(rs.values())));
            }
            summary.values.put(m, row);
            summary.timings.put(m, new Timing(rs.size(),
                    rs.values().stream().mapToDouble(ResultRecord::explainSeconds).average().orElse(Double.NaN),
                    rs.values().stream().mapToDouble(ResultRecord::metricSeconds).average().orElse(Double.NaN)));
            String ucag = m + EvaluationOptions.UCAG_SUFFIX;
            if (byMethod.containsKey(ucag)) {
                Map<Score, Statistics.Interval> diff = new EnumMap<>(Score.class);
                for (Score s : summary.scores) {
                    diff.put(s, difference(s, byMethod.get(ucag), rs));
                }
                summary.differences.put(m, diff);
            }
        }
        return summary;
    }

    /** Methods with each base followed by its +UCAG version, in order of first appearance. */
    private static List<String> order(Set<String> methods) {
        List<String> out = new ArrayList<>();
        for (String m : methods) {
            String base = m.endsWith(EvaluationOptions.UCAG_SUFFIX)
                    ? m.substring(0, m.length() - EvaluationOptions.UCAG_SUFFIX.length()) : m;
            for (String candidate : new String[] {base, base + EvaluationOptions.UCAG_SUFFIX}) {
                if (methods.contains(candidate) && !out.contains(candidate)) {
                    out.add(candidate);
                }
            }
        }
        return out;
    }

    private static Statistics.Interval interval(Score s, List<ResultRecord> rs) {
        List<ResultRecord> with = rs.stream().filter(r -> r.score(s) != null).toList();
        double[] v = with.stream().mapToDouble(r -> r.score(s)).toArray();
        return s.classAveraged() ? Statistics.classMeanInterval(v, with.stream().mapToInt(ResultRecord::label)
                .toArray()) : Statistics.mean(v);
    }

    private static Statistics.Interval difference(Score s, Map<String, ResultRecord> ucag,
                                                  Map<String, ResultRecord> base) {
        List<double[]> pairs = new ArrayList<>();
        List<Integer> classes = new ArrayList<>();
        for (Map.Entry<String, ResultRecord> e : base.entrySet()) {
            ResultRecord u = ucag.get(e.getKey());
            if (u != null && u.score(s) != null && e.getValue().score(s) != null) {
                pairs.add(new double[] {u.score(s), e.getValue().score(s)});
                classes.add(e.getValue().label());
            }
        }
        double[] a = pairs.stream().mapToDouble(p -> p[0]).toArray();
        double[] b = pairs.stream().mapToDouble(p -> p[1]).toArray();
        if (s.classAveraged()) {
            return Statistics.pairedClassMeanInterval(a, b, classes.stream().mapToInt(Integer::intValue).toArray());
        }
        double[] d = new double[a.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = a[i] - b[i];
        }
        return Statistics.mean(d);
    }

    public List<String> methods() {
        return methods;
    }

    public List<Score> scores() {
        return scores;
    }

    public Statistics.Interval value(String method, Score s) {
        return values.get(method).get(s);
    }

    /** +UCAG minus base for a base method that has a +UCAG counterpart, else null. */
    public Statistics.Interval difference(String base, Score s) {
        Map<Score, Statistics.Interval> d = differences.get(base);
        return d == null ? null : d.get(s);
    }

    public Timing timing(String method) {
        return timings.get(method);
    }

    public static Verdict verdict(Score s, Statistics.Interval d) {
        if (d == null || Double.isNaN(d.low()) || Double.isNaN(d.high())) {
            return Verdict.UNKNOWN;
        }
        double sign = s.higherIsBetter() ? 1 : -1;
        if (d.low() > 0 || d.high() < 0) {
            return sign * d.mean() > 0 ? Verdict.BETTER : Verdict.WORSE;
        }
        return Verdict.NOT_SIGNIFICANT;
    }

    public String markdown(String heading) {
        StringBuilder sb = new StringBuilder("# Evaluation summary\n\n").append(heading).append("\n\n");
        sb.append("## Scores: mean [95% confidence interval]\n\n| Method | n |");
        for (Score s : scores) {
            sb.append(' ').append(title(s)).append(" |");
        }
        sb.append("\n|---|---:|").append("---|".repeat(scores.size())).append('\n');
        for (String m : methods) {
            sb.append("| ").append(m).append(" | ").append(counts.get(m)).append(" |");
            for (Score s : scores) {
                sb.append(' ').append(format(value(m, s))).append(" |");
            }
            sb.append('\n');
        }
        if (!differences.isEmpty()) {
            sb.append("\n## +UCAG minus base, paired over the same samples: mean [95% confidence interval]\n\n")
                    .append("| Base method |");
            for (Score s : scores) {
                sb.append(' ').append(title(s)).append(" |");
            }
            sb.append("\n|---|").append("---|".repeat(scores.size())).append('\n');
            for (String base : differences.keySet()) {
                sb.append("| ").append(base).append(" |");
                for (Score s : scores) {
                    Statistics.Interval d = difference(base, s);
                    sb.append(' ').append(format(d)).append(' ').append(word(verdict(s, d))).append(" |");
                }
                sb.append('\n');
            }
        }
        sb.append("\n## Time per image (seconds, mean)\n\n| Method | n | explain | metrics | total |\n")
                .append("|---|---:|---:|---:|---:|\n");
        for (String m : methods) {
            Timing t = timings.get(m);
            sb.append(String.format(Locale.ROOT, "| %s | %d | %.3f | %.3f | %.3f |%n", m, t.n(), t.explainSeconds(),
                    t.metricSeconds(), t.explainSeconds() + t.metricSeconds()));
        }
        sb.append("\nArrows give the better direction. Intervals: Student's t for means over samples; for the "
                + "pointing games (mean over classes of per-class means, TorchRay's score) a percentile bootstrap "
                + "over samples, " + Statistics.RESAMPLES + " resamples. Verdicts: *better* / *worse* when the "
                + "interval of the difference excludes 0, *n.s.* otherwise. n counts samples; a score is left out "
                + "for samples where it does not apply (no ground-truth box, empty map).\n");
        return sb.toString();
    }

    public String csv() {
        StringBuilder sb = new StringBuilder("method,score,kind,n,mean,ci_low,ci_high,verdict\n");
        for (String m : methods) {
            for (Score s : scores) {
                row(sb, m, s, "value", value(m, s), "");
            }
        }
        for (String base : differences.keySet()) {
            for (Score s : scores) {
                Statistics.Interval d = difference(base, s);
                row(sb, base + EvaluationOptions.UCAG_SUFFIX, s, "ucag_minus_base", d, word(verdict(s, d)));
            }
        }
        return sb.toString();
    }

    private static void row(StringBuilder sb, String method, Score s, String kind, Statistics.Interval i,
                            String verdict) {
        sb.append(String.format(Locale.ROOT, "%s,%s,%s,%d,%s,%s,%s,%s%n", method, s.key(), kind, i.n(),
                number(i.mean()), number(i.low()), number(i.high()), verdict));
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v);
    }

    static String title(Score s) {
        return s.title() + (s.higherIsBetter() ? " ↑" : " ↓");
    }

    static String format(Statistics.Interval i) {
        if (i == null || i.n() == 0) {
            return "–";
        }
        if (Double.isNaN(i.low())) {
            return String.format(Locale.ROOT, "%.4f", i.mean());
        }
        return String.format(Locale.ROOT, "%.4f [%.4f, %.4f]", i.mean(), i.low(), i.high());
    }

    static String word(Verdict v) {
        return switch (v) {
            case BETTER -> "better";
            case WORSE -> "worse";
            case NOT_SIGNIFICANT -> "n.s.";
            case UNKNOWN -> "";
        };
    }
}
