package io.ucag.cli;

import io.ucag.models.Preprocessing;
import io.ucag.models.image.ImageFiles;
import io.ucag.models.image.InputTransform;
import io.ucag.models.image.RgbImage;
import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Reads image files into one model-input batch (N,3,S,S). */
final class ImageInputs {
    private ImageInputs() {
    }

    /** The fitted images (what the network sees), in file order. */
    static RgbImage[] fit(List<Path> files, Preprocessing p, InputTransform.Crop crop) throws IOException {
        RgbImage[] fitted = new RgbImage[files.size()];
        for (int i = 0; i < fitted.length; i++) {
            fitted[i] = InputTransform.fit(ImageFiles.read(files.get(i)), p, crop);
        }
        return fitted;
    }

    static Tensor batch(Device d, RgbImage[] fitted, Preprocessing p) {
        int side = p.cropSize();
        int plane = 3 * side * side;
        float[] values = new float[fitted.length * plane];
        for (int i = 0; i < fitted.length; i++) {
            System.arraycopy(InputTransform.normalize(fitted[i], p), 0, values, i * plane, plane);
        }
        return d.fromArray(Shape.of(fitted.length, 3, side, side), values);
    }
}
