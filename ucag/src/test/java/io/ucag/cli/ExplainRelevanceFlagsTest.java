package io.ucag.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code explain}'s relevance flags: bad combinations are one clear error before any model is loaded. */
class ExplainRelevanceFlagsTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void anUnknownCompositeListsTheValidOnes() {
        assertEquals(1, run("explain", "--image", "x.png", "--out", "y.png", "--method", "lrp", "--composite", "foo"));
        assertTrue(err.toString().contains("unknown LRP composite 'foo'"), err.toString());
        assertTrue(err.toString().contains("epsilon-gamma-box"), err.toString());
    }

    @Test
    void compositesAndDumpsNeedARelevanceMethod() {
        assertEquals(1, run("explain", "--image", "x.png", "--out", "y.png", "--method", "gradcam", "--composite",
                "epsilon-plus"));
        assertTrue(err.toString().contains("--composite applies to the relevance methods"), err.toString());
        assertEquals(1, run("explain", "--image", "x.png", "--out", "y.png", "--method", "saliency", "--dump-layer",
                "layer4"));
        assertTrue(err.toString().contains("--dump-layer needs a relevance method"), err.toString());
    }

    @Test
    void dumpLayersMayBeRepeatedOrCommaSeparated() {
        assertEquals(List.of("layer4", "fc", "layer1"),
                RelevanceDump.layerNames(List.of("layer4,fc", " layer1", "fc")));
    }
}
