package io.ucag.models;

import io.ucag.runtime.io.Npy;
import io.ucag.runtime.io.NpyArray;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A folder written by {@code models/src/test/fixtures/make_torchvision_parity.py}: seeded random torchvision
 * state_dicts ({@code torch.save}) and their logits on one input batch, listed in {@code manifest.txt}.
 *
 * @param input (N,3,H,W), the input of every net
 * @param nets  in manifest order
 */
record TorchvisionFixtures(NpyArray input, List<Net> nets) {

    /**
     * One saved network.
     *
     * @param name         fixture name, e.g. {@code resnet50-w32}
     * @param architecture a {@link ModelZoo} name
     * @param widthDivisor as {@link ModelZoo#spec(String, int, int)} takes it
     * @param classes      logits per image
     * @param stateDict    the {@code torch.save} file
     * @param logits       (N,classes), torch's in float64 rounded to float32
     */
    record Net(String name, String architecture, int widthDivisor, int classes, Path stateDict, NpyArray logits) {
        ModelSpec spec() {
            return ModelZoo.spec(architecture, classes, widthDivisor);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** The committed, reduced-width fixtures (test resources {@code /golden/torchvision/}). */
    static TorchvisionFixtures committed() {
        try {
            return read(Path.of(TorchvisionFixtures.class.getResource("/golden/torchvision/manifest.txt").toURI())
                    .getParent());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static TorchvisionFixtures read(Path dir) {
        try {
            NpyArray input = null;
            List<Net> nets = new ArrayList<>();
            for (String line : Files.readAllLines(dir.resolve("manifest.txt"), StandardCharsets.UTF_8)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split(" ");
                switch (f[0]) {
                    case "input" -> input = Npy.read(dir.resolve(f[1]));
                    case "net" -> nets.add(new Net(f[1], f[2], Integer.parseInt(f[3]), Integer.parseInt(f[4]),
                            dir.resolve(f[5]), Npy.read(dir.resolve(f[6]))));
                    default -> throw new IllegalStateException(dir + "/manifest.txt: unknown line '" + line + "'");
                }
            }
            if (input == null || nets.isEmpty()) {
                throw new IllegalStateException(dir + "/manifest.txt names no input or no net");
            }
            return new TorchvisionFixtures(input, List.copyOf(nets));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Net net(String name) {
        return nets.stream().filter(n -> n.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no fixture net '" + name + "' among " + nets));
    }
}
