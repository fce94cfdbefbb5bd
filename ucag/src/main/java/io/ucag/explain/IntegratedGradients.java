package io.ucag.explain;

import io.ucag.models.Model;
import io.ucag.runtime.Device;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.ops.ReduceOp;
import java.util.ArrayList;
import java.util.List;

/**
 * Integrated Gradients (Sundararajan et al., ICML 2017, Eq. 3, the Riemann right sum): with the baseline
 * x' = 0 (black after normalisation, i.e. the zero tensor), {@code (x - x') * (1/m) sum_{k=1..m} dy/dx (x' +
 * (k/m)(x - x'))}, summed over the colour channels. Signed. Completeness: the attributions sum to about
 * {@code y(x) - y(x')}, the error shrinking as m grows (exact for a network linear in its input, for any m).
 *
 * <p>The m path points of each image run {@code microBatch} at a time: cost = m forward+backward passes per image.
 */
public final class IntegratedGradients implements Explainer {
    public static final int DEFAULT_STEPS = 32;
    public static final int DEFAULT_MICRO_BATCH = 4;

    private final int steps;
    private final int microBatch;

    public IntegratedGradients() {
        this(DEFAULT_STEPS, DEFAULT_MICRO_BATCH);
    }

    /**
     * @param steps      m, the points of the Riemann sum (>= 1)
     * @param microBatch path points per forward/backward pass (>= 1)
     */
    public IntegratedGradients(int steps, int microBatch) {
        if (steps < 1 || microBatch < 1) {
            throw new IllegalArgumentException("integratedgradients: steps and microBatch must be >= 1, got "
                    + steps + ", " + microBatch);
        }
        this.steps = steps;
        this.microBatch = microBatch;
    }

    @Override
    public String name() {
        return "integratedgradients";
    }

    @Override
    public boolean signed() {
        return true;
    }

    @Override
    public Explanation explain(Model model, Tensor images, int[] targets) {
        InputGradients.checkTargets(name(), images, targets);
        Device d = model.device();
        try (TensorScope scope = TensorScope.open()) {
            Tensor mean = InputGradients.meanOverCopies(model, images.shape(), steps, targets, microBatch,
                    (dev, from, to) -> {
                        List<Tensor> points = new ArrayList<>(to - from);
                        for (int j = from; j < to; j++) { // the baseline is zero: x' + a (x - x') = a x
                            points.add(dev.scale(dev.slice(images, 0, j / steps, 1), (j % steps + 1) / (float) steps));
                        }
                        return dev.concat(points, 0);
                    });
            Tensor map = d.reduce(d.mul(images, mean), ReduceOp.SUM, new int[] {1}, true);
            return new Explanation(scope.keep(map), scope.keep(model.forward(images)));
        }
    }
}
