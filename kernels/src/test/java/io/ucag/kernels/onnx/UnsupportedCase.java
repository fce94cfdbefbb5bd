package io.ucag.kernels.onnx;

/**
 * Thrown while mapping an ONNX node onto {@code Device} ops when the node needs something the runtime does not
 * offer. The {@code category} groups skips in the summary (e.g. {@code auto_pad}, {@code integer types}); the
 * detail names the attribute or input and its value, e.g. {@code dilations=[2, 2]: Pool2dParams has no dilation}.
 */
final class UnsupportedCase extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String category;

    UnsupportedCase(String category, String detail) {
        super(category + ": " + detail);
        this.category = category;
    }

    String category() {
        return category;
    }
}
