package io.ucag.eval;

import io.ucag.models.Model;
import io.ucag.models.ModelSpec;
import io.ucag.models.Parameters;
import io.ucag.models.Preprocessing;
import io.ucag.models.layers.Layer;
import io.ucag.models.layers.Layers;
import io.ucag.runtime.Device;
import io.ucag.runtime.ops.Conv2dParams;
import io.ucag.runtime.ops.Pool2dParams;
import io.ucag.weights.NamedTensor;
import io.ucag.weights.WeightSet;
import io.ucag.weights.safetensors.SafetensorsWriter;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * A small seeded CNN on 32 x 32 inputs (conv-relu-pool-conv-relu, global pool, linear, 5 classes) registered as
 * {@code tiny-eval}, with a synthetic dataset of generated PNGs, for the evaluation and API tests.
 */
public final class TinyNet {
    public static final String NAME = "tiny-eval";
    public static final int CLASSES = 5;
    public static final int SIDE = 32;

    private TinyNet() {
    }

    public static ModelSpec spec() {
        Layer.Sequential root = new Layer.Sequential("", List.of(
                new Layer.Sequential("features", List.of(
                        new Layer.Conv2d("features.0", 3, 6, 3, 3, Conv2dParams.of(1, 1), true),
                        new Layer.ReLU("features.1"),
                        new Layer.MaxPool2d("features.2", Pool2dParams.of(2, 2, 0)),
                        new Layer.Conv2d("features.3", 6, 8, 3, 3, Conv2dParams.of(1, 1), true),
                        new Layer.ReLU("features.4"))),
                new Layer.AdaptiveAvgPool2d("avgpool", 1, 1),
                new Layer.Flatten("flatten"),
                new Layer.Linear("fc", 8, CLASSES)));
        Preprocessing p = new Preprocessing(false, 1f / 255, new float[] {0.5f, 0.5f, 0.5f},
                new float[] {0.25f, 0.25f, 0.25f}, 36, SIDE);
        return new ModelSpec(NAME, root, SIDE, p, CLASSES, "features.4");
    }

    /** Weights drawn uniformly from {@code seed}, scaled by fan-in. */
    static WeightSet weights(long seed) {
        Map<String, int[]> shapes = Layers.parameterShapes(spec().root());
        Random rng = new Random(seed);
        WeightSet set = new WeightSet();
        for (Map.Entry<String, int[]> e : shapes.entrySet()) {
            int n = Arrays.stream(e.getValue()).reduce(1, (a, b) -> a * b);
            int fanIn = e.getValue().length > 1 ? n / e.getValue()[0] : 1;
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = (float) ((rng.nextDouble() * 2 - 1) * 2 / Math.sqrt(fanIn));
            }
            set.add(new NamedTensor(e.getKey(), e.getValue(), v));
        }
        return set;
    }

    public static Model load(Device device, long seed) {
        return Model.load(spec(), Parameters.of(weights(seed)), device);
    }

    public static void save(Path file, long seed) throws IOException {
        SafetensorsWriter.write(weights(seed), file);
    }

    /**
     * {@code count} PNGs of {@code w x h} (a bright rectangle on a noisy background, seeded), {@code labels.csv}
     * and a {@code boxes.csv} holding each rectangle as the class's box.
     */
    static void dataset(Path dir, int count, int w, int h, long seed) throws IOException {
        Files.createDirectories(dir);
        Random rng = new Random(seed);
        StringBuilder labels = new StringBuilder("file,label\n");
        StringBuilder boxes = new StringBuilder("file,label,orig_w,orig_h,x0,y0,x1,y1\n");
        for (int i = 0; i < count; i++) {
            BufferedImage im = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            int x0 = rng.nextInt(w / 2);
            int y0 = rng.nextInt(h / 2);
            int x1 = x0 + 4 + rng.nextInt(w / 2 - 4);
            int y1 = y0 + 4 + rng.nextInt(h / 2 - 4);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    boolean in = x >= x0 && x < x1 && y >= y0 && y < y1;
                    int base = in ? 200 : 40;
                    int r = base + rng.nextInt(50);
                    int g = (in ? 60 : base) + rng.nextInt(50);
                    int b = base / 2 + rng.nextInt(50);
                    im.setRGB(x, y, r << 16 | g << 8 | b);
                }
            }
            String name = String.format("img%02d.png", i);
            ImageIO.write(im, "png", dir.resolve(name).toFile());
            int label = i % CLASSES;
            labels.append(name).append(',').append(label).append('\n');
            boxes.append(name).append(',').append(label).append(',').append(w).append(',').append(h).append(',')
                    .append(x0).append(',').append(y0).append(',').append(x1).append(',').append(y1).append('\n');
        }
        Files.writeString(dir.resolve("labels.csv"), labels);
        Files.writeString(dir.resolve("boxes.csv"), boxes);
    }
}
