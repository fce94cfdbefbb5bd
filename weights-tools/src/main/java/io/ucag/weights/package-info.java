/**
 * Weight files: the in-memory {@link io.ucag.weights.WeightSet} (named float32 tensors plus string metadata) and
 * its readers and writers -- safetensors (the project's native format), PyTorch {@code .pth} checkpoints
 * (read without Python), TensorFlow.js layers models -- plus fetching published weights and the
 * {@code weights-tools.jar} command line.
 */
package io.ucag.weights;
