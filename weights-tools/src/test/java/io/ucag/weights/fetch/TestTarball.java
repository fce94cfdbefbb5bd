package io.ucag.weights.fetch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Builds small tar.gz archives in tests, header by header (ustar, pax, GNU long names, any type flag). */
final class TestTarball {
    private final ByteArrayOutputStream tar = new ByteArrayOutputStream();

    /** A regular file; names over 100 bytes go through the ustar prefix field (split at a '/'). */
    TestTarball file(String name, byte[] content) {
        return entry(name, '0', content);
    }

    TestTarball directory(String name) {
        return entry(name, '5', new byte[0]);
    }

    TestTarball symlink(String name) {
        return entry(name, '2', new byte[0]);
    }

    /** A pax extended header setting the next entry's path. */
    TestTarball paxPath(String path) {
        String body = " path=" + path + "\n";
        int length = body.length() + 1;
        while ((length + body).length() != length) {
            length = (length + body).length();
        }
        return entry("PaxHeader", 'x', (length + body).getBytes(StandardCharsets.UTF_8));
    }

    /** A GNU long-name entry ('L') for the next entry. */
    TestTarball gnuLongName(String name) {
        return entry("././@LongLink", 'L', (name + "\0").getBytes(StandardCharsets.UTF_8));
    }

    TestTarball entry(String name, char type, byte[] content) {
        byte[] h = new byte[512];
        String prefix = "";
        String base = name;
        if (name.length() > 100) {
            int slash = name.lastIndexOf('/', name.length() - 2);
            prefix = name.substring(0, slash);
            base = name.substring(slash + 1);
        }
        put(h, 0, base);
        put(h, 100, "0000644\0");
        put(h, 108, "0000000\0");
        put(h, 116, "0000000\0");
        put(h, 124, String.format("%011o\0", content.length));
        put(h, 136, "14254736047\0");
        h[156] = (byte) type;
        put(h, 257, "ustar\0");
        put(h, 263, "00");
        put(h, 345, prefix);
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        int sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, String.format("%06o\0 ", sum));
        tar.writeBytes(h);
        tar.writeBytes(content);
        tar.writeBytes(new byte[(512 - content.length % 512) % 512]);
        return this;
    }

    /** The archive bytes with the two zero end blocks, uncompressed. */
    byte[] tarBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(tar.toByteArray());
        out.writeBytes(new byte[1024]);
        return out.toByteArray();
    }

    Path writeTgz(Path file) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(tarBytes());
        }
        return file;
    }

    private static void put(byte[] h, int offset, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, h, offset, b.length);
    }
}
