package io.ucag.models.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ucag.models.Preprocessing;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** PilResize and the centre-crop transform reproduce Pillow / torchvision byte for byte (hashes from Pillow). */
class PilResizeTest {

    /** The formula image of make_pil_resize_goldens.py. */
    static RgbImage synthetic(int w, int h) {
        byte[] px = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    px[(y * w + x) * 3 + c] = (byte) (((x * 7 + y * 13 + c * 29) % 256) ^ ((x * y + c) % 37));
                }
            }
        }
        return new RgbImage(w, h, px);
    }

    static Stream<String> cases() throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(
                PilResizeTest.class.getResourceAsStream("/pil-resize-goldens.txt"), StandardCharsets.UTF_8));
        return r.lines().filter(l -> !l.startsWith("#"));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void matchesPillow(String line) throws NoSuchAlgorithmException {
        String[] f = line.split(" ");
        int inW = Integer.parseInt(f[1]);
        int inH = Integer.parseInt(f[2]);
        RgbImage in = synthetic(inW, inH);
        RgbImage out = f[0].equals("resize")
                ? PilResize.bilinear(in, Integer.parseInt(f[3]), Integer.parseInt(f[4]))
                : InputTransform.fit(in, Preprocessing.TORCHVISION, InputTransform.Crop.CENTER);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(out.pixels()));
        assertEquals(f[5], sha, line);
    }
}
