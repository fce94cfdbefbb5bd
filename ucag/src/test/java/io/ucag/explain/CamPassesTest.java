package io.ucag.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ucag.models.Model;
import io.ucag.runtime.Shape;
import io.ucag.runtime.TensorScope;
import io.ucag.runtime.java.JavaDevice;
import io.ucag.runtime.profile.OpProfile;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** CAM methods sharing one forward/backward pass give the maps they give alone, and the pass runs once. */
class CamPassesTest {
    private static final int SIDE = 32;
    private static JavaDevice device;
    private static Model model;
    private static final List<CamMethod> CAMS = List.of(new GradCam(null), new GradCamPlusPlus(null),
            new XGradCam(null), new LayerCam(null), new HiResCam(null));

    @BeforeAll
    static void open() {
        device = new JavaDevice(2);
        model = TinyModels.load(device, 5);
    }

    @AfterAll
    static void close() {
        model.close();
        device.close();
    }

    private static float[] maps(Model m, Explainer e, float[] images, int[] targets) {
        try (TensorScope scope = TensorScope.open();
             Explanation x = e.explain(m, m.device().fromArray(Shape.of(targets.length, 3, SIDE, SIDE), images),
                     targets)) {
            return x.maps().toArray();
        }
    }

    private static long convolutions(OpProfile profile) {
        return profile.entries().stream().filter(e -> e.op().startsWith("conv2d")).mapToLong(OpProfile.Entry::calls)
                .sum();
    }

    @Test
    void sharedPassesGiveTheSameMapsAndRunTheNetworkOnce() {
        float[] images = TinyModels.randomImages(new Random(3), 2, SIDE);
        int[] targets = {1, 4};
        OpProfile profile = new OpProfile();
        try (Model counted = model.on(profile.wrap(device)); CamPasses passes = new CamPasses(4)) {
            long alone = 0;
            for (CamMethod cam : CAMS) {
                float[] expected = maps(model, cam, images, targets);
                long before = convolutions(profile);
                float[] shared = maps(counted, cam.sharing(passes), images, targets);
                alone = Math.max(alone, convolutions(profile) - before);
                assertArrayEquals(expected, shared, cam.name());
            }
            assertEquals(1, passes.size());
            // Only the first method ran the network: its 2 forward + 2 input-gradient convolutions, nothing after.
            assertEquals(alone, convolutions(profile), "later methods must not run the network again");
        }
    }

    @Test
    void ucagOverSharedPassesEqualsUcagAlone() {
        float[] image = TinyModels.randomImages(new Random(8), 1, SIDE);
        UcagOptions options = new UcagOptions(3, 0.5, 0, 1.5, 4, true, UcagOptions.Fold.STANDARD);
        try (CamPasses passes = new CamPasses(8)) {
            for (CamMethod cam : CAMS) {
                float[] alone = maps(model, new Ucag(cam, options), image, new int[] {2});
                float[] shared = maps(model, new Ucag(cam.sharing(passes), options), image, new int[] {2});
                assertArrayEquals(alone, shared, cam.name());
            }
            assertEquals(3, passes.size(), "9 patches in micro-batches of 4: three passes");
        }
    }

    @Test
    void differentTargetsOrImagesAreDifferentPassesAndTheOldestLeavesFirst() {
        float[] a = TinyModels.randomImages(new Random(1), 1, SIDE);
        float[] b = TinyModels.randomImages(new Random(2), 1, SIDE);
        try (CamPasses passes = new CamPasses(2)) {
            Explainer shared = new GradCam(null).sharing(passes);
            float[] aClass0 = maps(model, shared, a, new int[] {0});
            float[] aClass3 = maps(model, shared, a, new int[] {3});
            assertEquals(2, passes.size());
            assertArrayEquals(maps(model, new GradCam(null), a, new int[] {3}), aClass3);
            maps(model, shared, b, new int[] {0});
            assertEquals(2, passes.size(), "capacity bounds the memo");
            assertArrayEquals(aClass0, maps(model, shared, a, new int[] {0}), "recomputed after eviction");
            passes.clear();
            assertEquals(0, passes.size());
        }
    }
}
