package io.ucag.explain;

import io.ucag.models.ActivationHook;
import io.ucag.models.Model;
import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.autograd.Gradients;
import io.ucag.runtime.autograd.Tape;

/**
 * The input gradients of the gradient family: dy/dx of each item's target logit (pre-softmax) with respect to its
 * input, for a batch, and the mean of such gradients over many derived inputs (noisy copies, points on a path)
 * computed in micro-batches, all on the model's device.
 */
final class InputGradients {
    /** Builds the inputs of copies {@code [from, to)}, (to - from, 3, H, W), on {@code d}, in copy order. */
    @FunctionalInterface
    interface Copies {
        Tensor make(Device d, int from, int to);
    }

    /**
     * A gradient and the logits of the same forward pass; closing releases both.
     *
     * @param gradient (N,3,H,W)
     * @param logits   (N, classes)
     */
    record Result(Tensor gradient, Tensor logits) implements AutoCloseable {
        @Override
        public void close() {
            gradient.close();
            logits.close();
        }
    }

    private InputGradients() {
    }

    /** dy_n/dx_n for each item n of {@code inputs} (N,3,H,W), where y_n = logits[n, targets[n]]. */
    static Result of(Model model, Tensor inputs, int[] targets) {
        checkTargets("gradient", inputs, targets);
        Device base = model.device();
        try (Tape tape = new Tape(); TensorScope scope = TensorScope.open()) {
            Tensor watched = tape.watch(inputs.reshape(inputs.shape())); // a handle of our own for the tape
            Tensor logits = model.forward(tape.on(base), watched, ActivationHook.NONE);
            Tensor seed = Targets.oneHot(base, targets, logits.shape().dim(1));
            try (Gradients g = tape.backward(logits, seed)) {
                Tensor gradient = g.of(watched).reshape(inputs.shape()); // outlives the Gradients
                return new Result(scope.keep(gradient), scope.keep(logits.reshape(logits.shape())));
            }
        }
    }

    /**
     * The mean over {@code perImage} copies of each of {@code images} images of dy/dx at the copy's input, with
     * y the image's target logit: copy j belongs to image j / perImage. Copies run {@code microBatch} at a time;
     * each micro-batch's gradients (B,3HW) are added into the per-image sums (N,3HW) by one matrix product with
     * the (N,B) matrix that holds 1/perImage where a copy belongs to an image, so the micro-batch size does not
     * change the result beyond float rounding. Memory is bounded by one micro-batch's forward and backward pass.
     *
     * @param shape the shape (N,3,H,W) of the images
     * @return (N,3,H,W)
     */
    static Tensor meanOverCopies(Model model, Shape shape, int perImage, int[] targets, int microBatch,
                                 Copies copies) {
        Device d = model.device();
        int images = shape.dim(0);
        int total = images * perImage;
        int features = shape.size(1, shape.rank());
        try (TensorScope scope = TensorScope.open()) {
            Tensor sum = d.zeros(Shape.of(images, features));
            for (int from = 0; from < total; from += microBatch) {
                int to = Math.min(total, from + microBatch);
                try (TensorScope batch = TensorScope.open()) {
                    int[] copyTargets = new int[to - from];
                    float[] owner = new float[images * (to - from)]; // (N,B)
                    for (int j = from; j < to; j++) {
                        copyTargets[j - from] = targets[j / perImage];
                        owner[(j / perImage) * (to - from) + (j - from)] = 1f / perImage;
                    }
                    Tensor inputs = copies.make(d, from, to);
                    Result r = of(model, inputs, copyTargets);
                    Tensor flat = r.gradient().reshape(Shape.of(to - from, features));
                    Tensor added = d.matmul(d.fromArray(Shape.of(images, to - from), owner), flat, false, false);
                    Tensor next = batch.keep(d.add(sum, added));
                    r.close();
                    sum.close();
                    sum = next;
                    // Queued devices (OpenCL) allocate at enqueue time and free when the kernels ran: without a
                    // wait, every micro-batch would be in flight at once and memory would grow with the copies.
                    d.synchronize();
                }
            }
            return scope.keep(sum.reshape(shape));
        }
    }

    static void checkTargets(String method, Tensor images, int[] targets) {
        if (images.shape().rank() != 4) {
            throw new IllegalArgumentException(method + ": images must be (N,3,H,W), got " + images.shape());
        }
        if (targets.length != images.shape().dim(0)) {
            throw new IllegalArgumentException(method + ": " + targets.length + " targets for a batch of "
                    + images.shape().dim(0));
        }
    }
}
