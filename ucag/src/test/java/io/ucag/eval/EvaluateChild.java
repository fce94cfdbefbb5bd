package io.ucag.eval;

import io.ucag.cli.Main;
import io.ucag.models.ModelZoo;

/** The {@code ucag} command line with the tiny test model registered: what the kill test runs as a child JVM. */
public final class EvaluateChild {
    private EvaluateChild() {
    }

    public static void main(String[] args) {
        System.exit(Main.run(ModelZoo.BUILT_IN.with(TinyNet.spec()), args));
    }
}
