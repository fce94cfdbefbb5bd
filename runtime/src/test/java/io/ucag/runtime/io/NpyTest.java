package io.ucag.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.java.JavaDevice;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Npy against files written by numpy (runtime/src/test/fixtures/make_npy_fixtures.py) and round trips. */
class NpyTest {
    @TempDir
    Path tmp;

    private static NpyArray resource(String name) throws IOException {
        try (InputStream in = NpyTest.class.getResourceAsStream("/npy/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource /npy/" + name);
            }
            return Npy.read(in, name);
        }
    }

    private static byte[] resourceBytes(String name) throws IOException {
        try (InputStream in = NpyTest.class.getResourceAsStream("/npy/" + name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void readsNumpyFloat32() throws IOException {
        NpyArray a = resource("f4_2x3.npy");
        assertArrayEquals(new int[] {2, 3}, a.shape());
        assertArrayEquals(new float[] {-2.5f, -1.5f, -0.5f, 0.5f, 1.5f, 2.5f}, a.data());
        assertEquals(Shape.of(2, 3), a.toShape());
    }

    @Test
    void readsFormatVersions2And3() throws IOException {
        NpyArray v2 = resource("f4_v2.npy");
        assertArrayEquals(new int[] {1, 2, 1, 3}, v2.shape());
        assertArrayEquals(new float[] {0f, 0.5f, 1f, 1.5f, 2f, 2.5f}, v2.data());
        NpyArray v3 = resource("f4_v3.npy");
        assertArrayEquals(new int[] {1, 2}, v3.shape());
        assertArrayEquals(new float[] {1.5f, -2f}, v3.data());
    }

    @Test
    void convertsFloat64AndIntegersToFloat() throws IOException {
        NpyArray scalar = resource("f8_scalar.npy");
        assertArrayEquals(new int[0], scalar.shape());
        assertArrayEquals(new float[] {3.25f}, scalar.data());
        assertEquals(Shape.of(1), scalar.toShape());
        assertArrayEquals(new float[] {0.1f, -1e-3f, 1e30f}, resource("f8_vec.npy").data());
        assertArrayEquals(new float[] {-3f, 0f, 7f, 1099511627776f}, resource("i8_vec.npy").data());
        NpyArray i4 = resource("i4_2x2x2.npy");
        assertArrayEquals(new int[] {2, 2, 2}, i4.shape());
        assertArrayEquals(new float[] {-4, -3, -2, -1, 0, 1, 2, 3}, i4.data());
    }

    @Test
    void readsRank6() throws IOException {
        NpyArray a = resource("f4_rank6.npy");
        assertArrayEquals(new int[] {1, 2, 1, 1, 3, 1}, a.shape());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, a.data());
    }

    @Test
    void writesTheBytesNumpyWrites() throws IOException {
        Path f = tmp.resolve("w.npy");
        Npy.write(f, new int[] {2, 3}, new float[] {-2.5f, -1.5f, -0.5f, 0.5f, 1.5f, 2.5f});
        assertArrayEquals(resourceBytes("f4_2x3.npy"), Files.readAllBytes(f));
        Npy.write(f, new int[] {1, 2, 1, 1, 3, 1}, new float[] {0, 1, 2, 3, 4, 5});
        assertArrayEquals(resourceBytes("f4_rank6.npy"), Files.readAllBytes(f));
    }

    @Test
    void roundTripsEveryRankFrom0To6() throws IOException {
        Random random = new Random(7);
        int[][] shapes = {{}, {5}, {1, 13}, {2, 3, 7}, {2, 1, 3, 4}, {1, 2, 3, 1, 2}, {2, 1, 2, 1, 3, 2}, {0, 3}};
        for (int[] shape : shapes) {
            float[] data = new float[(int) Npy.elementCount(shape)];
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) random.nextGaussian();
            }
            if (data.length > 2) {
                data[0] = Float.NaN;
                data[1] = Float.NEGATIVE_INFINITY;
                data[2] = -0f;
            }
            Path f = tmp.resolve("r" + shape.length + ".npy");
            Npy.write(f, shape, data);
            assertEquals(0, (Files.size(f) - 4L * data.length) % 64, "data starts 64-byte aligned");
            NpyArray back = Npy.read(f);
            assertArrayEquals(shape, back.shape(), Arrays.toString(shape));
            assertArrayEquals(data, back.data(), Arrays.toString(shape)); // bitwise, NaN and -0 included
        }
    }

    @Test
    void roundTripsATensor() throws IOException {
        try (JavaDevice d = new JavaDevice(1);
             Tensor t = d.fromArray(Shape.of(3, 1, 2), new float[] {1, -2, 3, -4, 5, -6})) {
            Path f = tmp.resolve("t.npy");
            Npy.write(f, t);
            try (Tensor back = Npy.read(f).toTensor(d)) {
                assertEquals(Shape.of(3, 1, 2), back.shape());
                assertArrayEquals(t.toArray(), back.toArray());
            }
        }
    }

    @Test
    void rejectsWrongDataLengthOnWrite() {
        assertThrows(IllegalArgumentException.class, () -> Npy.write(tmp.resolve("x.npy"), new int[] {2, 2},
                new float[3]));
        assertThrows(IllegalArgumentException.class, () -> Npy.write(tmp.resolve("x.npy"),
                new int[] {1, 1, 1, 1, 1, 1, 1}, new float[1]));
    }

    @Test
    void truncatedDataIsAnErrorNamingTheFile() throws IOException {
        byte[] full = resourceBytes("f4_2x3.npy");
        Path f = tmp.resolve("cut.npy");
        Files.write(f, Arrays.copyOf(full, full.length - 3));
        IOException e = assertThrows(IOException.class, () -> Npy.read(f));
        assertMessage(e, f.toString(), "truncated", "21 of 24 bytes");
    }

    @Test
    void truncatedHeaderIsAnError() throws IOException {
        Path f = tmp.resolve("head.npy");
        Files.write(f, Arrays.copyOf(resourceBytes("f4_2x3.npy"), 40));
        assertMessage(assertThrows(IOException.class, () -> Npy.read(f)), f.toString(), "truncated", "header");
        Files.write(f, Arrays.copyOf(resourceBytes("f4_2x3.npy"), 4));
        assertMessage(assertThrows(IOException.class, () -> Npy.read(f)), f.toString(), "truncated");
    }

    @Test
    void badMagicIsAnError() throws IOException {
        Path f = tmp.resolve("magic.npy");
        byte[] b = resourceBytes("f4_2x3.npy");
        b[1] = 'X';
        Files.write(f, b);
        assertMessage(assertThrows(IOException.class, () -> Npy.read(f)), f.toString(), "bad magic");
    }

    @Test
    void unknownVersionIsAnError() throws IOException {
        Path f = tmp.resolve("v9.npy");
        byte[] b = resourceBytes("f4_2x3.npy");
        b[6] = 9;
        Files.write(f, b);
        assertMessage(assertThrows(IOException.class, () -> Npy.read(f)), f.toString(), "version 9.0");
    }

    @Test
    void unsupportedDtypesAreErrors() throws IOException {
        assertMessage(assertThrows(IOException.class, () -> resource("f2_vec.npy")), "f2_vec.npy", "'<f2'");
        assertMessage(assertThrows(IOException.class, () -> resource("f4_big_endian.npy")), "f4_big_endian.npy",
                "'>f4'");
    }

    @Test
    void fortranOrderIsAnError() {
        assertMessage(assertThrows(IOException.class, () -> resource("f4_fortran.npy")), "f4_fortran.npy",
                "fortran_order");
    }

    private static void assertMessage(Exception e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), () -> "message '" + e.getMessage() + "' lacks '" + p + "'");
        }
    }
}
