package io.ucag.weights.torch;

import io.ucag.weights.DType;
import io.ucag.weights.torch.PickleMachine.Tuple;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The only names a torch checkpoint may reference: tensor and parameter rebuild functions, typed storages,
 * {@code collections.OrderedDict} and {@code _codecs.encode} (how protocol 2 pickles bytes). Each is
 * implemented here in Java; any other GLOBAL is refused by name, so loading never runs foreign code.
 */
final class TorchPickleHost implements PickleMachine.Host {
    /** A storage class such as {@code torch.FloatStorage}; used as the type field of persistent ids. */
    record StorageType(String name, DType dtype) {
    }

    /** An allowed function, by its qualified name. */
    record Function(String qualifiedName) {
    }

    private static final Map<String, DType> STORAGE_TYPES = Map.of(
            "FloatStorage", DType.F32, "HalfStorage", DType.F16, "BFloat16Storage", DType.BF16,
            "DoubleStorage", DType.F64, "LongStorage", DType.I64, "IntStorage", DType.I32,
            "ShortStorage", DType.I16, "CharStorage", DType.I8, "ByteStorage", DType.U8, "BoolStorage", DType.BOOL);

    private static final List<String> FUNCTIONS = List.of(
            "collections.OrderedDict", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor",
            "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state", "_codecs.encode");

    private final String source;
    private final Map<String, StorageRef> storages = new LinkedHashMap<>();

    TorchPickleHost(String source) {
        this.source = source;
    }

    /** Root storages met so far, by key (each key once, whatever the number of tensors sharing it). */
    Map<String, StorageRef> storages() {
        return storages;
    }

    @Override
    public Object resolveGlobal(String module, String name) throws IOException {
        String qualified = module + "." + name;
        if (FUNCTIONS.contains(qualified)) {
            return new Function(qualified);
        }
        if (module.equals("torch") && STORAGE_TYPES.containsKey(name)) {
            return new StorageType(qualified, STORAGE_TYPES.get(name));
        }
        throw new IOException(source + ": the pickle references " + qualified + ", which this importer does not"
                + " load (it reads tensors, storages and OrderedDict of a state_dict; it never executes code)");
    }

    @Override
    public Object call(Object callable, List<Object> args) throws IOException {
        if (!(callable instanceof Function f)) {
            throw new IOException(source + ": REDUCE on " + PickleMachine.describe(callable) + ", not a function");
        }
        return switch (f.qualifiedName()) {
            case "collections.OrderedDict" -> orderedDict(args);
            case "torch._utils._rebuild_tensor_v2" -> {
                expectArgs(f, args, 6, 7);
                yield rebuildTensor(args);
            }
            case "torch._utils._rebuild_tensor" -> {
                expectArgs(f, args, 4, 4);
                yield rebuildTensor(args);
            }
            case "torch._utils._rebuild_parameter" -> {
                expectArgs(f, args, 3, 3);
                yield args.get(0);
            }
            case "torch._utils._rebuild_parameter_with_state" -> {
                expectArgs(f, args, 4, 4);
                yield args.get(0);
            }
            case "_codecs.encode" -> {
                expectArgs(f, args, 2, 2);
                if (!(args.get(0) instanceof String text)) {
                    throw new IOException(source + ": _codecs.encode of a non-string");
                }
                // Protocol 2 writes bytes b as encode(b.decode('latin1'), 'latin1').
                yield text.getBytes(StandardCharsets.ISO_8859_1);
            }
            default -> throw new AssertionError(f);
        };
    }

    /**
     * A storage from its persistent id: {@code ('storage', type, key, location, numel)} in the zip format,
     * plus a sixth field {@code view_metadata = None | (view_key, offset, size)} in the legacy format.
     */
    @Override
    public Object persistentLoad(Object pid) throws IOException {
        if (!(pid instanceof Tuple t) || t.size() < 5 || t.size() > 6 || !"storage".equals(t.get(0))
                || !(t.get(1) instanceof StorageType type) || !(t.get(4) instanceof Long numel)) {
            throw new IOException(source + ": unsupported persistent id " + describeTuple(pid));
        }
        String key = String.valueOf(t.get(2));
        StorageRef root = storages.get(key);
        if (root == null) {
            root = new StorageRef(key, type.dtype(), 0, numel);
            storages.put(key, root);
        } else if (root.dtype() != type.dtype()) {
            throw new IOException(source + ": storage '" + key + "' is read both as " + root.dtype() + " and "
                    + type.dtype());
        }
        if (t.size() == 6 && t.get(5) != null) {
            if (!(t.get(5) instanceof Tuple view) || view.size() != 3 || !(view.get(1) instanceof Long offset)
                    || !(view.get(2) instanceof Long viewSize)) {
                throw new IOException(source + ": bad storage view " + describeTuple(t.get(5)));
            }
            return new StorageRef(key, type.dtype(), offset, viewSize);
        }
        return root;
    }

    private Object orderedDict(List<Object> args) throws IOException {
        Map<Object, Object> map = new LinkedHashMap<>();
        if (args.size() == 1 && args.get(0) instanceof List<?> pairs) {
            for (Object pair : pairs) {
                if (!(pair instanceof Tuple p) || p.size() != 2) {
                    throw new IOException(source + ": OrderedDict argument is not a list of pairs");
                }
                map.put(p.get(0), p.get(1));
            }
        } else if (!args.isEmpty()) {
            throw new IOException(source + ": unsupported OrderedDict arguments");
        }
        return map;
    }

    private TensorRef rebuildTensor(List<Object> args) throws IOException {
        if (!(args.get(0) instanceof StorageRef storage) || !(args.get(1) instanceof Long offset)
                || !(args.get(2) instanceof Tuple size) || !(args.get(3) instanceof Tuple stride)) {
            throw new IOException(source + ": bad _rebuild_tensor arguments " + args);
        }
        int[] dims = new int[size.size()];
        for (int i = 0; i < dims.length; i++) {
            if (!(size.get(i) instanceof Long d) || d < 0 || d > Integer.MAX_VALUE) {
                throw new IOException(source + ": bad tensor size " + size.items());
            }
            dims[i] = (int) (long) d;
        }
        long[] steps = new long[stride.size()];
        for (int i = 0; i < steps.length; i++) {
            if (!(stride.get(i) instanceof Long s)) {
                throw new IOException(source + ": bad tensor stride " + stride.items());
            }
            steps[i] = s;
        }
        return new TensorRef(storage, offset, dims, steps);
    }

    private void expectArgs(Function f, List<Object> args, int min, int max) throws IOException {
        if (args.size() < min || args.size() > max) {
            throw new IOException(source + ": " + f.qualifiedName() + " called with " + args.size() + " arguments");
        }
    }

    private static String describeTuple(Object o) {
        return o instanceof Tuple t ? t.items().toString() : PickleMachine.describe(o);
    }
}
