package io.ucag.runtime.ops;

/**
 * Interpolation of {@code resize}, both with {@code align_corners=False} exactly as
 * {@code torch.nn.functional.interpolate}: source coordinate {@code (dst + 0.5) * in / out - 0.5}.
 */
public enum ResizeMode {
    /** Bilinear; negative source coordinates are clamped to 0 (PyTorch's rule for linear modes). */
    BILINEAR,
    /** Bicubic, Keys kernel with a = -0.75, tap indices clamped to the border (PyTorch's rule). */
    BICUBIC
}
