package io.ucag.cli;

import io.ucag.weights.fetch.Hashes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The demo's photograph: "chelsea", the CC0 cat photo shipped in Debian's {@code python3-skimage} package, fetched
 * once with {@code apt-get download} (no installation, no root needed), unpacked with {@code dpkg-deb} and cached
 * after its SHA-256 is checked.
 */
final class DemoPhoto {
    static final String FILE = "chelsea.png";
    static final String SHA256 = "596aa1e7cb875eb79f437e310381d26b338a81c2da23439704a73c4651e8c4bb";
    private static final String PACKAGE = "python3-skimage";
    private static final String MEMBER = "usr/lib/python3/dist-packages/skimage/data/chelsea.png";

    private DemoPhoto() {
    }

    static Path obtain(Path cacheDir) throws IOException {
        Path cached = cacheDir.resolve(FILE);
        if (Files.isRegularFile(cached) && Hashes.sha256(cached).equals(SHA256)) {
            return cached;
        }
        Files.createDirectories(cacheDir);
        Path work = Files.createTempDirectory(cacheDir, "demo-photo-");
        try {
            try {
                run(work, List.of("apt-get", "download", PACKAGE));
            } catch (IOException firstTry) { // a fresh machine may have no package lists yet
                run(work, List.of("apt-get", "update", "-q"));
                run(work, List.of("apt-get", "download", PACKAGE));
            }
            try (var debs = Files.list(work)) {
                Path deb = debs.filter(p -> p.getFileName().toString().endsWith(".deb")).findFirst()
                        .orElseThrow(() -> new IOException("apt-get download left no .deb"));
                run(work, List.of("dpkg-deb", "-x", deb.toString(), work.resolve("x").toString()));
            }
            Path photo = work.resolve("x").resolve(MEMBER);
            if (!Files.isRegularFile(photo) || !Hashes.sha256(photo).equals(SHA256)) {
                throw new IOException(PACKAGE + " did not contain the expected " + MEMBER);
            }
            Files.move(photo, cached, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return cached;
        } catch (IOException e) {
            throw new IOException("could not obtain the demo photo (" + e.getMessage() + "). Get it by hand: "
                    + "`apt-get download " + PACKAGE + " && dpkg-deb -x " + PACKAGE + "_*.deb x && cp x/" + MEMBER
                    + " " + cached + "`, or run `explain --image YOUR_PHOTO.jpg`", e);
        } finally {
            deleteTree(work);
        }
    }

    private static void run(Path dir, List<String> command) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("`" + command.get(0) + "` is not available", e);
        }
        try {
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IOException("`" + String.join(" ", command) + "` failed: " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.get(0), e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
