package io.ucag.explain;

import io.ucag.models.ActivationHook;
import io.ucag.models.Model;
import io.ucag.runtime.AlignedPlanes;
import io.ucag.runtime.Device;
import io.ucag.runtime.FastConvolutions;
import io.ucag.runtime.Tensor;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.autograd.Gradients;
import io.ucag.runtime.autograd.Tape;
import io.ucag.runtime.ops.ResizeMode;

/**
 * The template of the gradient-weighted CAM family (after pytorch-grad-cam's {@code BaseCAM}): one forward pass
 * that watches the target layer's activations A (N,C,h,w), one backward pass from the target logits (pre-softmax)
 * that stops at that layer and gives G = dy/dA, then a method-specific {@link #camImage} (N,1,h,w), bilinearly
 * upsampled to the input resolution. The map is returned raw: no ReLU, no normalisation (UCAG needs the raw map).
 */
public abstract class CamMethod implements Explainer {
    private final String layer; // null: the model's default CAM layer

    protected CamMethod(String layer) {
        this.layer = layer;
    }

    /** The CAM at feature resolution (N,1,h,w) from activations and gradients (both (N,C,h,w)), on {@code d}. */
    protected abstract Tensor camImage(Device d, Tensor activations, Tensor gradients);

    @Override
    public boolean signed() {
        return false;
    }

    @Override
    public final Explanation explain(Model model, Tensor images, int[] targets) {
        return explain(model, images, targets, null);
    }

    /**
     * This method reading its forward/backward passes from {@code passes} when another CAM method already ran them
     * on the same images, layer and targets, and leaving its own there (same maps as {@link #explain}).
     */
    public final Explainer sharing(CamPasses passes) {
        CamMethod cam = this;
        return new Explainer() {
            @Override
            public String name() {
                return cam.name();
            }

            @Override
            public boolean signed() {
                return cam.signed();
            }

            @Override
            public int maxBatch() {
                return cam.maxBatch();
            }

            @Override
            public Explanation explain(Model model, Tensor images, int[] targets) {
                return cam.explain(model, images, targets, passes);
            }
        };
    }

    private Explanation explain(Model model, Tensor images, int[] targets, CamPasses passes) {
        String target = layer != null ? layer : model.spec().defaultCamLayer();
        model.layer(target); // fails early, naming the valid choices
        if (targets.length != images.shape().dim(0)) {
            throw new IllegalArgumentException(name() + ": " + targets.length + " targets for a batch of "
                    + images.shape().dim(0));
        }
        Device base = model.device();
        Object key = passes == null ? null : CamPasses.key(target, images, targets);
        CamPasses.Pass found = key == null ? null : passes.find(key);
        try (CamPasses.Pass pass = found != null ? found : pass(model, target, images, targets);
             TensorScope scope = TensorScope.open()) {
            if (key != null && found == null) {
                passes.remember(key, pass);
            }
            Tensor cam = camImage(base, pass.activations(), pass.gradients());
            int h = images.shape().dim(2);
            int w = images.shape().dim(3);
            Tensor maps = cam.shape().dim(2) == h && cam.shape().dim(3) == w
                    ? cam : base.resize(cam, h, w, ResizeMode.BILINEAR);
            return new Explanation(scope.keep(maps), scope.keep(pass.logits().reshape(pass.logits().shape())));
        }
    }

    /** The forward pass watching layer {@code target} and the backward pass from the target logits to it. */
    private static CamPasses.Pass pass(Model model, String target, Tensor images, int[] targets) {
        Device base = model.device();
        Tensor[] activation = new Tensor[1]; // a handle on the values of A
        Tensor[] watched = new Tensor[1];    // the tensor object the tape knows A by
        // CAM maps and logits do not notice a fast convolution's rounding (FastConvolutions; measured on ResNet-50);
        // the forward pass is convolutions feeding convolutions, which padded planes suit (AlignedPlanes)
        try (Tape tape = new Tape(); TensorScope scope = TensorScope.open();
             FastConvolutions fast = FastConvolutions.allow(); AlignedPlanes aligned = AlignedPlanes.allow()) {
            Device recording = tape.on(base);
            Tensor logits = model.forward(recording, images, ActivationHook.only(target, (name, output) -> {
                if (activation[0] != null) { // a module called several times (a shared ReLU): the last call counts
                    activation[0].close();
                }
                activation[0] = output.share();
                watched[0] = tape.watch(output);
            }));
            Tensor seed = Targets.oneHot(base, targets, logits.shape().dim(1));
            try (Gradients g = tape.backward(logits, seed)) {
                Tensor kept = activation[0];
                activation[0] = null;
                return new CamPasses.Pass(kept, g.of(watched[0]).share(), logits.share());
            }
        } finally {
            if (activation[0] != null) {
                activation[0].close();
            }
        }
    }
}
