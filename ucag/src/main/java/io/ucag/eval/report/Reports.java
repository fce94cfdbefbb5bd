package io.ucag.eval.report;

import io.ucag.eval.run.ResultRecord;
import io.ucag.eval.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntFunction;

/** Writes {@code summary.md}, {@code summary.csv} and {@code report.html} of an evaluation folder, atomically. */
public final class Reports {
    private Reports() {
    }

    public static Summary write(Path out, List<ResultRecord> records, String heading, int galleryRows,
                                IntFunction<String> className) throws IOException {
        Summary summary = Summary.of(records);
        atomically(out.resolve("summary.md"), summary.markdown(heading));
        atomically(out.resolve("summary.csv"), summary.csv());
        atomically(out.resolve("report.html"), HtmlReport.render(summary, heading, records, out, galleryRows,
                className));
        return summary;
    }

    private static void atomically(Path file, String text) throws IOException {
        AtomicFiles.write(file, text);
    }
}
