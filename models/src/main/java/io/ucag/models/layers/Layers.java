package io.ucag.models.layers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Walks a layer tree: finding a layer by name, and listing parameters with their shapes. */
public final class Layers {
    private Layers() {
    }

    /** Every layer of the tree, parents before children. */
    public static List<Layer> flatten(Layer root) {
        List<Layer> out = new ArrayList<>();
        collect(root, out);
        return out;
    }

    private static void collect(Layer layer, List<Layer> out) {
        out.add(layer);
        if (layer instanceof Layer.Sequential s) {
            s.children().forEach(c -> collect(c, out));
        } else if (layer instanceof Layer.Residual r) {
            collect(r.body(), out);
            collect(r.shortcut(), out);
            collect(r.relu(), out);
        }
    }

    /**
     * The batch norms that directly follow a convolution in a {@link Layer.Sequential} (the pairs a forward pass
     * may fuse), by batch-norm name, with that convolution.
     */
    public static Map<String, Layer.Conv2d> convolutionsBeforeBatchNorms(Layer root) {
        Map<String, Layer.Conv2d> pairs = new LinkedHashMap<>();
        for (Layer layer : flatten(root)) {
            if (layer instanceof Layer.Sequential s) {
                List<Layer> children = s.children();
                for (int i = 1; i < children.size(); i++) {
                    if (children.get(i) instanceof Layer.BatchNorm2d bn
                            && children.get(i - 1) instanceof Layer.Conv2d conv && conv.outChannels() == bn.channels()) {
                        pairs.put(bn.name(), conv);
                    }
                }
            }
        }
        return pairs;
    }

    public static Optional<Layer> find(Layer root, String name) {
        return flatten(root).stream().filter(l -> l.name().equals(name)).findFirst();
    }

    /** Parameter name -> shape, in state_dict order. */
    public static Map<String, int[]> parameterShapes(Layer root) {
        Map<String, int[]> shapes = new LinkedHashMap<>();
        for (Layer layer : flatten(root)) {
            if (layer instanceof Layer.Conv2d c) {
                shapes.put(c.name() + ".weight", c.weightShape().dims());
                if (c.bias()) {
                    shapes.put(c.name() + ".bias", new int[] {c.outChannels()});
                }
            } else if (layer instanceof Layer.BatchNorm2d b) {
                for (String p : new String[] {"weight", "bias", "running_mean", "running_var"}) {
                    shapes.put(b.name() + "." + p, new int[] {b.channels()});
                }
            } else if (layer instanceof Layer.Linear l) {
                shapes.put(l.name() + ".weight", new int[] {l.outFeatures(), l.inFeatures()});
                shapes.put(l.name() + ".bias", new int[] {l.outFeatures()});
            }
        }
        return shapes;
    }
}
