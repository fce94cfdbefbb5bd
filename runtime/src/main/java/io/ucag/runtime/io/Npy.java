package io.ucag.runtime.io;

import io.ucag.runtime.Tensor;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes NumPy {@code .npy} files (format versions 1.0, 2.0 and 3.0; see
 * {@code numpy/lib/format.py}). Layout: the magic {@code \x93NUMPY}, major and minor version bytes, the
 * header length (little-endian uint16 in 1.0, uint32 in 2.0/3.0), an ASCII (3.0: UTF-8) Python dict literal
 * such as {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }} padded with spaces and a newline
 * to a multiple of 64 bytes, then the raw values.
 *
 * <p>Writes float32 ({@code '<f4'}). Reads {@code '<f4'} exactly and converts {@code '<f8'}, {@code '<i8'}
 * and {@code '<i4'} to float (rounding to nearest), which is enough for fixtures and weights. Only C order is
 * supported. Errors are {@link IOException}s naming the file.
 */
public final class Npy {
    /** The largest rank read or written (the runtime's {@code Shape.MAX_RANK}). */
    public static final int MAX_RANK = 6;

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGNMENT = 64;
    private static final int MAX_HEADER_BYTES = 1 << 20; // numpy refuses far smaller headers; guards garbage
    private static final int CHUNK_VALUES = 1 << 16;

    private static final Pattern DESCR = Pattern.compile("['\"]descr['\"]\\s*:\\s*['\"]([^'\"]*)['\"]");
    private static final Pattern FORTRAN = Pattern.compile("['\"]fortran_order['\"]\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("['\"]shape['\"]\\s*:\\s*\\(([^)]*)\\)");

    /** The element types read; all are little-endian. */
    private enum Dtype {
        F4("<f4", 4), F8("<f8", 8), I4("<i4", 4), I8("<i8", 8);

        final String descr;
        final int bytes;

        Dtype(String descr, int bytes) {
            this.descr = descr;
            this.bytes = bytes;
        }

        static Dtype of(String descr) {
            for (Dtype t : values()) {
                if (t.descr.equals(descr)) {
                    return t;
                }
            }
            return null;
        }
    }

    private Npy() {
    }

    /** Reads a {@code .npy} file. */
    public static NpyArray read(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            return read(in, file.toString());
        }
    }

    /**
     * Reads one array from {@code in} (e.g. a class-path resource); {@code source} names it in error messages.
     * Bytes after the array's data are left unread.
     */
    public static NpyArray read(InputStream in, String source) throws IOException {
        byte[] prefix = readFully(in, MAGIC.length + 2, source, "the magic and version");
        if (!Arrays.equals(Arrays.copyOf(prefix, MAGIC.length), MAGIC)) {
            throw new IOException(source + ": not a .npy file (bad magic " + hex(prefix, MAGIC.length) + ")");
        }
        int major = prefix[6] & 0xff;
        int minor = prefix[7] & 0xff;
        if (major < 1 || major > 3 || minor != 0) {
            throw new IOException(source + ": unsupported .npy format version " + major + "." + minor
                    + " (1.0, 2.0 and 3.0 are read)");
        }
        int lengthBytes = major == 1 ? 2 : 4;
        ByteBuffer len = ByteBuffer.wrap(readFully(in, lengthBytes, source, "the header length"))
                .order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = major == 1 ? len.getShort() & 0xffff : len.getInt() & 0xffffffffL;
        if (headerLength > MAX_HEADER_BYTES) {
            throw new IOException(source + ": implausible .npy header length " + headerLength);
        }
        Charset charset = major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
        String header = new String(readFully(in, (int) headerLength, source, "the header"), charset);

        Dtype dtype = parseDtype(header, source);
        if (parseFortranOrder(header, source)) {
            throw new IOException(source + ": fortran_order=True is not supported; save a C-ordered array "
                    + "(numpy.ascontiguousarray)");
        }
        int[] shape = parseShape(header, source);
        long count = elementCount(shape);
        if (count > Integer.MAX_VALUE - 8) {
            throw new IOException(source + ": " + count + " values do not fit a Java array");
        }
        float[] data = readValues(in, dtype, (int) count, source);
        return new NpyArray(shape, data);
    }

    /** Writes {@code data} with {@code shape} (rank 0..6, C order) as float32, format version 1.0. */
    public static void write(Path file, int[] shape, float[] data) throws IOException {
        NpyArray array = new NpyArray(shape.clone(), data); // validates shape against data
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            write(out, array);
        }
    }

    public static void write(Path file, NpyArray array) throws IOException {
        write(file, array.shape(), array.data());
    }

    /** Writes the tensor's values (copied from its device) with its shape. */
    public static void write(Path file, Tensor tensor) throws IOException {
        write(file, tensor.shape().dims(), tensor.toArray());
    }

    /** Writes one array to {@code out} (not closed). */
    public static void write(OutputStream out, NpyArray array) throws IOException {
        out.write(header(array.shape()));
        ByteBuffer buf = ByteBuffer.allocate(CHUNK_VALUES * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        float[] data = array.data();
        for (int from = 0; from < data.length; from += CHUNK_VALUES) {
            int n = Math.min(CHUNK_VALUES, data.length - from);
            buf.clear();
            buf.asFloatBuffer().put(data, from, n);
            out.write(buf.array(), 0, n * Float.BYTES);
        }
        out.flush();
    }

    /** Number of values of a shape; 1 for a scalar. */
    static long elementCount(int[] shape) {
        long count = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("npy: negative dimension in " + Arrays.toString(shape));
            }
            count *= d;
        }
        return count;
    }

    private static byte[] header(int[] shape) {
        StringBuilder dims = new StringBuilder();
        for (int d : shape) {
            dims.append(d).append(", ");
        }
        String dimsText = shape.length == 1 ? dims.substring(0, dims.length() - 1) // "(5,)" like Python
                : shape.length == 0 ? "" : dims.substring(0, dims.length() - 2);
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dimsText + "), }";
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1; // + the closing newline
        int padding = (ALIGNMENT - unpadded % ALIGNMENT) % ALIGNMENT;
        String text = dict + " ".repeat(padding) + "\n";
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 4 + text.length()).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) text.length());
        b.put(text.getBytes(StandardCharsets.ISO_8859_1));
        return b.array();
    }

    private static Dtype parseDtype(String header, String source) throws IOException {
        Matcher m = DESCR.matcher(header);
        if (!m.find()) {
            throw new IOException(source + ": unsupported dtype (no simple 'descr' in header " + header.trim() + ")");
        }
        String descr = m.group(1);
        Dtype t = Dtype.of(descr);
        if (t == null) {
            throw new IOException(source + ": unsupported dtype '" + descr + "' (read: <f4, <f8, <i4, <i8)");
        }
        return t;
    }

    private static boolean parseFortranOrder(String header, String source) throws IOException {
        Matcher m = FORTRAN.matcher(header);
        if (!m.find()) {
            throw new IOException(source + ": .npy header lacks 'fortran_order': " + header.trim());
        }
        return m.group(1).equals("True");
    }

    private static int[] parseShape(String header, String source) throws IOException {
        Matcher m = SHAPE.matcher(header);
        if (!m.find()) {
            throw new IOException(source + ": .npy header lacks a 'shape' tuple: " + header.trim());
        }
        String[] parts = m.group(1).split(",");
        int[] dims = new int[parts.length];
        int rank = 0;
        for (String p : parts) {
            String s = p.trim();
            if (s.isEmpty()) {
                continue; // "(5,)" and "()"
            }
            if (rank == MAX_RANK) {
                throw new IOException(source + ": shape (" + m.group(1) + ") has more than " + MAX_RANK + " axes");
            }
            try {
                dims[rank++] = Integer.parseInt(s.endsWith("L") ? s.substring(0, s.length() - 1) : s);
            } catch (NumberFormatException e) {
                throw new IOException(source + ": bad dimension '" + s + "' in shape (" + m.group(1) + ")", e);
            }
            if (dims[rank - 1] < 0) {
                throw new IOException(source + ": negative dimension in shape (" + m.group(1) + ")");
            }
        }
        return Arrays.copyOf(dims, rank);
    }

    private static float[] readValues(InputStream in, Dtype dtype, int count, String source) throws IOException {
        float[] data = new float[count];
        byte[] chunk = new byte[Math.min(count, CHUNK_VALUES) * dtype.bytes];
        for (int from = 0; from < count; from += CHUNK_VALUES) {
            int n = Math.min(CHUNK_VALUES, count - from);
            int got = in.readNBytes(chunk, 0, n * dtype.bytes);
            if (got < n * dtype.bytes) {
                long have = (long) from * dtype.bytes + got;
                throw new IOException(source + ": truncated .npy data: " + have + " of "
                        + (long) count * dtype.bytes + " bytes (" + count + " x " + dtype.descr + ")");
            }
            ByteBuffer b = ByteBuffer.wrap(chunk, 0, n * dtype.bytes).order(ByteOrder.LITTLE_ENDIAN);
            switch (dtype) {
                case F4 -> b.asFloatBuffer().get(data, from, n);
                case F8 -> {
                    for (int i = 0; i < n; i++) {
                        data[from + i] = (float) b.getDouble();
                    }
                }
                case I4 -> {
                    for (int i = 0; i < n; i++) {
                        data[from + i] = b.getInt();
                    }
                }
                case I8 -> {
                    for (int i = 0; i < n; i++) {
                        data[from + i] = b.getLong();
                    }
                }
            }
        }
        return data;
    }

    private static byte[] readFully(InputStream in, int n, String source, String what) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new IOException(source + ": truncated .npy file: " + what + " needs " + n + " bytes, found "
                    + b.length, new EOFException());
        }
        return b;
    }

    private static String hex(byte[] b, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(n, b.length); i++) {
            sb.append(String.format("%02x", b[i] & 0xff));
        }
        return sb.toString();
    }
}
