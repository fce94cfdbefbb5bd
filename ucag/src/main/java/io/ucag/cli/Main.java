package io.ucag.cli;

import io.ucag.models.ModelZoo;
import java.io.PrintWriter;
import java.util.OptionalInt;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code ucag.jar}. Exit status: 0 ok, 1 the work failed, 2 a usage error. */
@Command(name = "ucag", mixinStandardHelpOptions = true, version = "ucag-java 0.1.0",
        description = "Explain CNN decisions with UCAG on a pure-Java runtime (OpenCL or Java device).",
        subcommands = {Demo.class, Explain.class, Classify.class, Evaluate.class, Bench.class, BenchConv.class, SelfCheck.class,
            CommandLine.HelpCommand.class})
public final class Main {
    private final ModelZoo zoo;

    private Main(ModelZoo zoo) {
        this.zoo = zoo;
    }

    /** The architectures {@code --model} accepts. */
    ModelZoo zoo() {
        return zoo;
    }

    public static void main(String[] args) {
        OptionalInt relaunched = SignalChainingLauncher.relaunch();
        System.exit(relaunched.isPresent() ? relaunched.getAsInt() : run(ModelZoo.BUILT_IN, args));
    }

    /**
     * Runs a command line on the console with the architectures of {@code zoo} (e.g. the built-ins plus a test
     * network); returns the exit status.
     */
    public static int run(ModelZoo zoo, String[] args) {
        // One short line per log record ("INFO: device: ...") instead of JUL's two-line default.
        System.setProperty("java.util.logging.SimpleFormatter.format", "%4$s: %5$s%n");
        return run(zoo, args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    }

    /** {@link #run(ModelZoo, String[], PrintWriter, PrintWriter)} with the built-in architectures. */
    static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(ModelZoo.BUILT_IN, args, out, err);
    }

    /** Runs a command line; errors become one line on {@code err} (no stack trace) and a non-zero status. */
    static int run(ModelZoo zoo, String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main(zoo));
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
