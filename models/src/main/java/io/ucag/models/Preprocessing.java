package io.ucag.models;

/**
 * How 8-bit RGB pixels become a model input: {@code ((pixel * scale) - mean[c]) / std[c]} per channel, with the
 * channels in RGB or BGR order, after resizing the shorter side to {@code resizeShorter} and centre-cropping
 * {@code cropSize} (torchvision's evaluation transform).
 *
 * @param bgr          true when the model expects channels in BGR order (Caffe)
 * @param scale        1/255 for torchvision (pixels in [0,1]), 1 for Caffe (pixels in [0,255])
 * @param mean         per-channel mean in the model's channel order, after scaling
 * @param std          per-channel standard deviation (1 for Caffe)
 * @param resizeShorter side the shorter image side is resized to before the crop (256)
 * @param cropSize     side of the centre crop (224)
 */
public record Preprocessing(boolean bgr, float scale, float[] mean, float[] std, int resizeShorter, int cropSize) {
    /** torchvision ImageNet models: RGB, [0,1], mean (0.485, 0.456, 0.406), std (0.229, 0.224, 0.225). */
    public static final Preprocessing TORCHVISION = new Preprocessing(false, 1f / 255,
            new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f}, 256, 224);

    /** Caffe / Keras ResNet50: BGR, [0,255], mean (B,G,R) = (103.939, 116.779, 123.68), no std division. */
    public static final Preprocessing CAFFE = new Preprocessing(true, 1f,
            new float[] {103.939f, 116.779f, 123.68f}, new float[] {1f, 1f, 1f}, 256, 224);

    /** The normalised value of an 8-bit pixel component of model channel {@code c}. */
    public float normalize(int channel, int pixel) {
        return (pixel * scale - mean[channel]) / std[channel];
    }

    /** The normalised value range per channel: {low[c], high[c]} (for bounded LRP rules). */
    public float[][] bounds() {
        float[] low = new float[3];
        float[] high = new float[3];
        for (int c = 0; c < 3; c++) {
            low[c] = normalize(c, 0);
            high[c] = normalize(c, 255);
        }
        return new float[][] {low, high};
    }
}
