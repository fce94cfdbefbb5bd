package io.ucag.cli;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code --flag value} pairs of one subcommand, checked against the flags it accepts. */
final class CliArgs {
    private final String command;
    private final Map<String, String> values;

    private CliArgs(String command, Map<String, String> values) {
        this.command = command;
        this.values = values;
    }

    static CliArgs parse(String command, String[] args, String... acceptedFlags) {
        List<String> accepted = List.of(acceptedFlags);
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (!accepted.contains(flag)) {
                throw new UsageException(command + ": unknown option '" + flag + "' (accepted: " + accepted + ")");
            }
            if (i + 1 >= args.length) {
                throw new UsageException(command + ": option " + flag + " needs a value");
            }
            values.put(flag, args[++i]);
        }
        return new CliArgs(command, values);
    }

    String get(String flag, String defaultValue) {
        return values.getOrDefault(flag, defaultValue);
    }

    int getInt(String flag, int defaultValue, int min, int max) {
        String v = values.get(flag);
        if (v == null) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new UsageException(command + ": " + flag + " must be in [" + min + ", " + max + "], got " + v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(command + ": " + flag + " needs an integer, got '" + v + "'");
        }
    }
}
