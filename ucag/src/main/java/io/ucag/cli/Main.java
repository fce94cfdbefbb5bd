package io.ucag.cli;

import java.io.PrintStream;
import java.util.Arrays;

/** Entry point of {@code ucag.jar}: dispatches to a subcommand; usage errors exit with status 2. */
public final class Main {
    static final String USAGE = """
            usage: java -jar ucag.jar <command> [options]
            commands:
              selfcheck [--device auto|opencl|java]   list devices, run and time a convolution on each, compare them
              help                                     this text
            """;

    private Main() {
    }

    public static void main(String[] args) {
        // One short line per log record ("INFO: device: ...") instead of JUL's two-line default.
        System.setProperty("java.util.logging.SimpleFormatter.format", "%4$s: %5$s%n");
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command and returns the process exit status (0 ok, 1 failure, 2 usage error). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help")) {
            out.print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            return switch (args[0]) {
                case "selfcheck" -> SelfCheck.run(CliArgs.parse("selfcheck", rest, "--device"), out);
                default -> throw new UsageException("unknown command '" + args[0] + "'");
            };
        } catch (UsageException e) {
            err.println("ucag: " + e.getMessage());
            err.print(USAGE);
            return 2;
        } catch (RuntimeException e) {
            err.println("ucag: " + args[0] + " failed: " + e.getMessage());
            return 1;
        }
    }
}
