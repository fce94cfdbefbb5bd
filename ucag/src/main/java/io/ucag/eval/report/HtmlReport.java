package io.ucag.eval.report;

import io.ucag.eval.run.ResultRecord;
import io.ucag.eval.run.Score;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * {@code report.html}: the summary tables, then a gallery, one row per sample (the photo, then each method's map
 * with its scores). One self-contained file: thumbnails are embedded as base64 PNG, no script, no network.
 */
public final class HtmlReport {
    private static final String STYLE = "body{font:14px sans-serif;margin:1.5em}table{border-collapse:collapse}"
            + "td,th{border:1px solid #ccc;padding:3px 6px;text-align:right}th:first-child,td:first-child"
            + "{text-align:left}.better{color:#070}.worse{color:#b00}.gallery td{text-align:center;"
            + "vertical-align:top;font-size:11px}.gallery img{display:block;margin:auto}.missing{width:112px;"
            + "height:112px;background:#eee}";

    private HtmlReport() {
    }

    /**
     * @param out       the evaluation folder (thumbnails are read from it)
     * @param rows      samples shown in the gallery
     * @param className the name of a class index
     */
    public static String render(Summary summary, String heading, List<ResultRecord> records, Path out, int rows,
                                IntFunction<String> className) throws IOException {
        StringBuilder sb = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>UCAG "
                + "evaluation</title><style>").append(STYLE).append("</style></head><body>\n<h1>Evaluation</h1>\n<p>")
                .append(escape(heading)).append("</p>\n");
        scores(sb, summary);
        differences(sb, summary);
        gallery(sb, summary, records, out, rows, className);
        return sb.append("</body></html>\n").toString();
    }

    private static void scores(StringBuilder sb, Summary summary) {
        sb.append("<h2>Scores: mean [95% CI]</h2>\n<table><tr><th>Method</th>");
        summary.scores().forEach(s -> sb.append("<th>").append(escape(Summary.title(s))).append("</th>"));
        sb.append("</tr>\n");
        for (String m : summary.methods()) {
            sb.append("<tr><td>").append(escape(m)).append("</td>");
            for (Score s : summary.scores()) {
                sb.append("<td>").append(escape(Summary.format(summary.value(m, s)))).append("</td>");
            }
            sb.append("</tr>\n");
        }
        sb.append("</table>\n");
    }

    private static void differences(StringBuilder sb, Summary summary) {
        List<String> bases = summary.methods().stream()
                .filter(m -> summary.scores().stream().anyMatch(s -> summary.difference(m, s) != null)).toList();
        if (bases.isEmpty()) {
            return;
        }
        sb.append("<h2>+UCAG minus base (paired): mean [95% CI]</h2>\n<table><tr><th>Base method</th>");
        summary.scores().forEach(s -> sb.append("<th>").append(escape(Summary.title(s))).append("</th>"));
        sb.append("</tr>\n");
        for (String base : bases) {
            sb.append("<tr><td>").append(escape(base)).append("</td>");
            for (Score s : summary.scores()) {
                Statistics.Interval d = summary.difference(base, s);
                String word = Summary.word(Summary.verdict(s, d));
                sb.append("<td class=\"").append(word.replace(".", "")).append("\">")
                        .append(escape(Summary.format(d) + " " + word)).append("</td>");
            }
            sb.append("</tr>\n");
        }
        sb.append("</table>\n");
    }

    private static void gallery(StringBuilder sb, Summary summary, List<ResultRecord> records, Path out, int rows,
                                IntFunction<String> className) throws IOException {
        Map<String, Map<String, ResultRecord>> bySample = new LinkedHashMap<>();
        for (ResultRecord r : records) {
            bySample.computeIfAbsent(r.sampleKey(), k -> new LinkedHashMap<>()).putIfAbsent(r.method(), r);
        }
        if (rows == 0 || bySample.isEmpty()) {
            return;
        }
        sb.append("<h2>Gallery (first ").append(Math.min(rows, bySample.size())).append(" of ")
                .append(bySample.size()).append(" samples)</h2>\n<table class=\"gallery\"><tr><th>Photo</th>");
        summary.methods().forEach(m -> sb.append("<th>").append(escape(m)).append("</th>"));
        sb.append("</tr>\n");
        int shown = 0;
        for (Map<String, ResultRecord> sample : bySample.values()) {
            if (shown++ == rows) {
                break;
            }
            ResultRecord any = sample.values().iterator().next();
            Path folder = Thumbnails.folder(out, any.image(), any.label());
            sb.append("<tr><td>").append(image(Thumbnails.photo(folder))).append(escape(any.image()))
                    .append("<br>class ").append(any.label()).append(' ').append(escape(className.apply(any.label())))
                    .append("<br>predicted ").append(any.predicted()).append(' ')
                    .append(escape(className.apply(any.predicted()))).append("</td>");
            for (String m : summary.methods()) {
                ResultRecord r = sample.get(m);
                sb.append("<td>");
                if (r != null) {
                    sb.append(image(Thumbnails.map(folder, m))).append(escape(scoreLine(r)));
                }
                sb.append("</td>");
            }
            sb.append("</tr>\n");
        }
        sb.append("</table>\n");
    }

    private static String scoreLine(ResultRecord r) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<Score, Double> e : r.scores().entrySet()) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(e.getKey().key()).append(' ').append(e.getValue() == null ? "–"
                    : String.format(Locale.ROOT, "%.3f", e.getValue()));
        }
        return sb.toString();
    }

    private static String image(Path png) throws IOException {
        if (!Files.isRegularFile(png)) {
            return "<div class=\"missing\"></div>";
        }
        String data = Base64.getEncoder().encodeToString(Files.readAllBytes(png));
        return "<img alt=\"\" src=\"data:image/png;base64," + data + "\">";
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
