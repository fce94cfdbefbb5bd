package io.ucag.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code ucag.jar}. Exit status: 0 ok, 1 the work failed, 2 a usage error. */
@Command(name = "ucag", mixinStandardHelpOptions = true, version = "ucag-java 0.1.0",
        description = "Explain CNN decisions with UCAG on a pure-Java runtime (OpenCL or Java device).",
        subcommands = {Demo.class, Explain.class, Classify.class, Evaluate.class, Bench.class, BenchConv.class, SelfCheck.class,
            CommandLine.HelpCommand.class})
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // One short line per log record ("INFO: device: ...") instead of JUL's two-line default.
        System.setProperty("java.util.logging.SimpleFormatter.format", "%4$s: %5$s%n");
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs a command line; errors become one line on {@code err} (no stack trace) and a non-zero status. */
    static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("ucag " + commandLine.getCommandName() + ": " + message(e));
            return 1;
        });
        if (args.length == 0) {
            cli.usage(err);
            return 2;
        }
        return cli.execute(args);
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.toString() : m;
    }
}
