package io.ucag.weights.torch;

import io.ucag.weights.DType;

/**
 * A torch storage named by a pickle persistent id: {@code numel} elements of {@code dtype} starting at element
 * {@code offset} of the root storage {@code key} (offset is non-zero only for views in the legacy format).
 */
record StorageRef(String key, DType dtype, long offset, long numel) {
}
