package io.ucag.weights.fetch;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * A minimal reader of (gzipped) tar archives such as npm tarballs: ustar headers (name + prefix), pax
 * {@code path} records and GNU long names; only regular files are returned, everything else is skipped.
 * Header checksums are verified so a corrupt archive fails instead of yielding garbage.
 */
public final class TarReader {
    private static final int BLOCK = 512;

    /** Receives each regular file; {@code content} yields exactly its bytes and must not be closed. */
    public interface FileVisitor {
        void visit(String name, long size, InputStream content) throws IOException;
    }

    private TarReader() {
    }

    /** Calls {@code visitor} for every regular file of the gzipped tar {@code tgz}, in archive order. */
    public static void forEachFileInTgz(Path tgz, FileVisitor visitor) throws IOException {
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(tgz), 1 << 16),
                1 << 16)) {
            forEachFile(in, visitor, tgz.toString());
        } catch (java.util.zip.ZipException e) {
            throw new IOException(tgz + ": not a valid gzip file (" + e.getMessage() + ")", e);
        } catch (java.io.EOFException e) {
            throw new IOException(tgz + ": truncated (the gzip data ends early)", e);
        }
    }

    /**
     * Extracts the regular files whose archive names {@code select} accepts into {@code destination} (same
     * relative paths) and returns the extracted paths. Names that would escape the destination are refused.
     */
    public static List<Path> extractTgz(Path tgz, Path destination, Predicate<String> select) throws IOException {
        List<Path> written = new ArrayList<>();
        Path root = destination.toAbsolutePath().normalize();
        forEachFileInTgz(tgz, (name, size, content) -> {
            if (!select.test(name)) {
                return;
            }
            Path target = root.resolve(name).normalize();
            if (!target.startsWith(root) || target.equals(root) || Path.of(name).isAbsolute()) {
                throw new IOException(tgz + ": entry '" + name + "' would be extracted outside " + root);
            }
            Files.createDirectories(target.getParent());
            Files.copy(content, target, StandardCopyOption.REPLACE_EXISTING);
            written.add(target);
        });
        return written;
    }

    /** Walks a plain (already decompressed) tar stream. */
    public static void forEachFile(InputStream tar, FileVisitor visitor, String where) throws IOException {
        byte[] header = new byte[BLOCK];
        String longName = null;
        while (true) {
            int n = tar.readNBytes(header, 0, BLOCK);
            if (n == 0) {
                return; // end of stream without the end-of-archive blocks: tolerated, as GNU tar does
            }
            if (n < BLOCK) {
                throw new IOException(where + ": truncated tar header");
            }
            if (isZero(header)) {
                return; // end-of-archive marker
            }
            verifyChecksum(header, where);
            long size = parseNumber(header, 124, 12, where);
            char type = (char) header[156];
            String name = headerName(header);
            if (longName != null) {
                name = longName;
                longName = null;
            }
            long padded = (size + BLOCK - 1) / BLOCK * BLOCK;
            switch (type) {
                case '0', '\0', '7' -> {
                    BoundedInputStream content = new BoundedInputStream(tar, size,
                            where + ": archive truncated inside entry '" + name + "'");
                    visitor.visit(name, size, content);
                    skipFully(content, content.remaining, where, name);
                    skipFully(tar, padded - size, where, name);
                }
                case 'x', 'L' -> {
                    if (size > 1 << 20) {
                        throw new IOException(where + ": oversized extended header for '" + name + "'");
                    }
                    byte[] data = readFully(tar, (int) size, where, name);
                    skipFully(tar, padded - size, where, name);
                    longName = type == 'L' ? cString(data, 0, data.length) : paxPath(data, where);
                }
                default -> skipFully(tar, padded, where, name); // directories, links, global pax headers ...
            }
        }
    }

    private static String headerName(byte[] h) {
        String name = cString(h, 0, 100);
        boolean ustar = new String(h, 257, 6, StandardCharsets.US_ASCII).equals("ustar\0");
        String prefix = ustar ? cString(h, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    /** The {@code path} record of a pax extended header ("LEN path=VALUE\n" records), or null. */
    private static String paxPath(byte[] data, String where) throws IOException {
        int pos = 0;
        String path = null;
        while (pos < data.length) {
            int space = pos;
            while (space < data.length && data[space] != ' ') {
                space++;
            }
            int length;
            try {
                length = Integer.parseInt(new String(data, pos, space - pos, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw new IOException(where + ": malformed pax header");
            }
            if (length <= 0 || pos + length > data.length) {
                throw new IOException(where + ": malformed pax header");
            }
            String record = new String(data, space + 1, pos + length - space - 2, StandardCharsets.UTF_8);
            if (record.startsWith("path=")) {
                path = record.substring("path=".length());
            }
            pos += length;
        }
        return path;
    }

    private static void verifyChecksum(byte[] h, String where) throws IOException {
        long stored = parseNumber(h, 148, 8, where);
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            byte b = i >= 148 && i < 156 ? (byte) ' ' : h[i];
            unsigned += b & 0xff;
            signed += b;
        }
        if (stored != unsigned && stored != signed) {
            throw new IOException(where + ": corrupt tar header (checksum " + stored + ", computed " + unsigned
                    + ") for entry '" + cString(h, 0, 100) + "'");
        }
    }

    /** An octal field (NUL/space padded), or GNU base-256 when the high bit of the first byte is set. */
    private static long parseNumber(byte[] h, int offset, int length, String where) throws IOException {
        if ((h[offset] & 0x80) != 0) {
            long value = h[offset] & 0x7f;
            for (int i = offset + 1; i < offset + length; i++) {
                value = (value << 8) | (h[i] & 0xff);
            }
            return value;
        }
        long value = 0;
        int i = offset;
        int end = offset + length;
        while (i < end && (h[i] == ' ' || h[i] == 0)) {
            i++;
        }
        for (; i < end && h[i] != 0 && h[i] != ' '; i++) {
            if (h[i] < '0' || h[i] > '7') {
                throw new IOException(where + ": corrupt tar header (bad octal number)");
            }
            value = value * 8 + (h[i] - '0');
        }
        return value;
    }

    private static String cString(byte[] b, int offset, int length) {
        int end = offset;
        while (end < offset + length && b[end] != 0) {
            end++;
        }
        return new String(b, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] readFully(InputStream in, int n, String where, String name) throws IOException {
        byte[] data = in.readNBytes(n);
        if (data.length != n) {
            throw new IOException(where + ": archive truncated inside entry '" + name + "'");
        }
        return data;
    }

    private static void skipFully(InputStream in, long n, String where, String name) throws IOException {
        long left = n;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new IOException(where + ": archive truncated inside entry '" + name + "'");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    /** Exposes exactly {@code size} bytes of the underlying stream; closing it does not close the tar. */
    private static final class BoundedInputStream extends FilterInputStream {
        private final String truncated;
        private long remaining;

        BoundedInputStream(InputStream in, long size, String truncated) {
            super(in);
            this.remaining = size;
            this.truncated = truncated;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = super.read();
            if (b < 0) {
                throw new IOException(truncated);
            }
            remaining--;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, remaining));
            if (n < 0) {
                throw new IOException(truncated);
            }
            remaining -= n;
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(Math.min(n, remaining));
            remaining -= skipped;
            return skipped;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(super.available(), remaining);
        }

        @Override
        public void close() {
            // the tar stream stays open for the next entry
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
