package io.ucag.explain;

import io.ucag.runtime.Device;
import io.ucag.runtime.Shape;
import io.ucag.runtime.Tensor;

/** Target classes and the gradient seeds that select them. */
public final class Targets {
    private Targets() {
    }

    /** One-hot rows (N, classes): the gradient of the sum of each item's target logit. */
    public static Tensor oneHot(Device device, int[] targets, int classes) {
        float[] seed = new float[targets.length * classes];
        for (int n = 0; n < targets.length; n++) {
            if (targets[n] < 0 || targets[n] >= classes) {
                throw new IllegalArgumentException("target class " + targets[n] + " is outside 0.." + (classes - 1));
            }
            seed[n * classes + targets[n]] = 1;
        }
        return device.fromArray(Shape.of(targets.length, classes), seed);
    }

    /** The index of the largest value of each row of (N, classes) values. */
    public static int[] argmax(float[] logits, int classes) {
        int[] best = new int[logits.length / classes];
        for (int n = 0; n < best.length; n++) {
            int b = 0;
            for (int k = 1; k < classes; k++) {
                if (logits[n * classes + k] > logits[n * classes + b]) {
                    b = k;
                }
            }
            best[n] = b;
        }
        return best;
    }
}
