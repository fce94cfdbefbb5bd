package io.ucag.runtime.ops;

/**
 * Interpolation of {@code resize}, both with {@code align_corners=False} exactly as
 * {@code torch.nn.functional.interpolate}: source coordinate {@code (dst + 0.5) * in / out - 0.5}.
 *
 * <p>In ONNX terms (Resize, opset 11+) this is {@code coordinate_transformation_mode=half_pixel} with
 * {@code sizes} (or {@code scales} equal to out/in), {@code linear} / {@code cubic} with
 * {@code cubic_coeff_a=-0.75} and {@code exclude_outside=0}. One difference is on purpose: for an output size of
 * 1, ONNX's {@code pytorch_half_pixel} samples source coordinate 0 (older PyTorch), while PyTorch 1.13 and this
 * op sample {@code (in - 1) / 2}, the centre (e.g. ONNX test {@code resize_downsample_sizes_linear_pytorch_half_pixel}
 * expects column 0 of a 4-wide input where this op interpolates columns 1 and 2).
 */
public enum ResizeMode {
    /** Bilinear; negative source coordinates are clamped to 0 (PyTorch's rule for linear modes). */
    BILINEAR,
    /** Bicubic, Keys kernel with a = -0.75, tap indices clamped to the border (PyTorch's rule). */
    BICUBIC
}
