package io.ucag.weights.torch;

import io.ucag.weights.WeightSet;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads the state_dict of a PyTorch checkpoint ({@code torch.save}, e.g. torchvision's {@code .pth} files)
 * without Python, into a {@link WeightSet} in the dict's order.
 *
 * <p>Two containers exist. The zip format (torch >= 1.6): {@code <top>/data.pkl} (the pickle; the top folder
 * name varies) and one entry {@code <top>/data/<key>} per storage. The legacy format (older torchvision
 * files): five pickles in a row (magic number, protocol 1001, system info, the object, the storage keys), then
 * each storage as an int64 element count and its raw little-endian elements.
 *
 * <p>The checkpoint is either a dict whose values are all tensors (the state_dict itself) or a dict holding
 * such a dict under {@code "state_dict"}. Tensors may be strided views (transposes, slices, shared
 * storages): each is materialised dense and row-major. fp16, bf16, fp64 and integer storages become float32.
 */
public final class TorchCheckpointReader {
    private static final BigInteger LEGACY_MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    private static final long LEGACY_PROTOCOL = 1001;

    private TorchCheckpointReader() {
    }

    /** True when the file starts like a torch.save output (a zip, or a legacy pickle). */
    public static boolean looksLikeTorch(byte[] head) {
        return (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4)
                || (head.length >= 2 && (head[0] & 0xff) == 0x80 && head[1] >= 2 && head[1] <= 5);
    }

    public static WeightSet read(Path file) throws IOException {
        byte[] head = new byte[4];
        try (InputStream in = java.nio.file.Files.newInputStream(file)) {
            int n = in.readNBytes(head, 0, head.length);
            if (n < 2) {
                throw new IOException(file + ": too short to be a torch.save file");
            }
        }
        if (head[0] == 'P' && head[1] == 'K') {
            return readZip(file);
        }
        if ((head[0] & 0xff) == 0x80) {
            return readLegacy(file);
        }
        throw new IOException(file + ": not a torch.save file (neither a zip archive nor a pickle)");
    }

    private static WeightSet readZip(Path file) throws IOException {
        ZipFile opened;
        try {
            opened = new ZipFile(file.toFile());
        } catch (java.util.zip.ZipException e) {
            throw new IOException(file + ": not a readable zip archive, truncated or damaged (" + e.getMessage()
                    + ")", e);
        }
        try (ZipFile zip = opened) {
            List<String> pickles = new ArrayList<>();
            for (ZipEntry e : Collections.list(zip.entries())) {
                if (e.getName().matches("[^/]+/data\\.pkl")) {
                    pickles.add(e.getName());
                }
            }
            if (pickles.size() != 1) {
                throw new IOException(file + ": expected one <folder>/data.pkl in the zip archive, found "
                        + pickles + ": not a torch.save file");
            }
            String prefix = pickles.get(0).substring(0, pickles.get(0).length() - "data.pkl".length());
            ZipEntry byteOrder = zip.getEntry(prefix + "byteorder");
            if (byteOrder != null) {
                String order = new String(zip.getInputStream(byteOrder).readAllBytes(), StandardCharsets.US_ASCII);
                if (!order.trim().equals("little")) {
                    throw new IOException(file + ": storages are " + order.trim() + "-endian; only little-endian"
                            + " checkpoints are supported");
                }
            }
            String source = file + " (" + pickles.get(0) + ")";
            TorchPickleHost host = new TorchPickleHost(source);
            byte[] pickle = zip.getInputStream(zip.getEntry(pickles.get(0))).readAllBytes();
            Map<String, TensorRef> tensors = stateDict(PickleMachine.load(ByteBuffer.wrap(pickle), host, source),
                    file.toString());
            Map<String, float[]> roots = new HashMap<>();
            for (TensorRef t : tensors.values()) {
                StorageRef root = host.storages().get(t.storage().key());
                if (!roots.containsKey(root.key())) {
                    roots.put(root.key(), readZipStorage(zip, prefix + "data/" + root.key(), root, file));
                }
            }
            return materialise(tensors, roots, file.toString());
        }
    }

    private static float[] readZipStorage(ZipFile zip, String name, StorageRef root, Path file) throws IOException {
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) {
            throw new IOException(file + ": storage entry " + name + " is missing from the archive");
        }
        long expected = root.numel() * root.dtype().byteSize();
        if (entry.getSize() >= 0 && entry.getSize() != expected) {
            throw new IOException(file + ": storage " + name + " has " + entry.getSize() + " bytes, but "
                    + root.numel() + " " + root.dtype() + " elements need " + expected);
        }
        try (InputStream in = zip.getInputStream(entry)) {
            return decode(in, root, file + ": storage " + name);
        }
    }

    private static WeightSet readLegacy(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (ch.size() > Integer.MAX_VALUE) {
                throw new IOException(file + ": legacy-format checkpoints over 2 GiB are not supported");
            }
            ByteBuffer in = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()).order(ByteOrder.LITTLE_ENDIAN);
            String source = file.toString();
            TorchPickleHost host = new TorchPickleHost(source);
            if (!LEGACY_MAGIC.equals(toBig(PickleMachine.load(in, host, source)))) {
                throw new IOException(file + ": a pickle, but not a torch.save file (wrong magic number)");
            }
            Object protocol = PickleMachine.load(in, host, source);
            if (!Long.valueOf(LEGACY_PROTOCOL).equals(protocol)) {
                throw new IOException(file + ": unsupported legacy torch.save protocol " + protocol);
            }
            if (PickleMachine.load(in, host, source) instanceof Map<?, ?> sysInfo
                    && Boolean.FALSE.equals(sysInfo.get("little_endian"))) {
                throw new IOException(file + ": saved on a big-endian machine; not supported");
            }
            Map<String, TensorRef> tensors = stateDict(PickleMachine.load(in, host, source), source);
            if (!(PickleMachine.load(in, host, source) instanceof List<?> keys)) {
                throw new IOException(file + ": storage key list missing after the pickled object");
            }
            Map<String, float[]> roots = new HashMap<>();
            for (Object key : keys) {
                StorageRef root = host.storages().get(String.valueOf(key));
                if (root == null) {
                    throw new IOException(file + ": storage key " + key + " was never referenced by the pickle");
                }
                String where = file + ": storage '" + root.key() + "'";
                if (in.remaining() < 8) {
                    throw new IOException(where + ": file truncated before its element count");
                }
                long count = in.getLong();
                if (count != root.numel()) {
                    throw new IOException(where + ": " + count + " elements in the file, " + root.numel()
                            + " in the pickle");
                }
                long bytes = count * root.dtype().byteSize();
                if (bytes > in.remaining()) {
                    throw new IOException(where + ": file truncated (" + bytes + " bytes needed, "
                            + in.remaining() + " left)");
                }
                float[] values = new float[(int) count];
                root.dtype().decode(in, values, 0, values.length);
                roots.put(root.key(), values);
            }
            return materialise(tensors, roots, source);
        }
    }

    /**
     * The state_dict inside an unpickled checkpoint: the top-level dict if all its values are tensors, else
     * its {@code "state_dict"} entry if that is one.
     */
    static Map<String, TensorRef> stateDict(Object top, String where) throws IOException {
        if (top instanceof Map<?, ?> map) {
            Map<String, TensorRef> tensors = tensorsOnly(map);
            if (tensors != null) {
                return tensors;
            }
            if (map.get("state_dict") instanceof Map<?, ?> inner) {
                Map<String, TensorRef> innerTensors = tensorsOnly(inner);
                if (innerTensors != null) {
                    return innerTensors;
                }
                throw new IOException(where + ": 'state_dict' holds non-tensor entries: " + nonTensorKeys(inner));
            }
            throw new IOException(where + ": no state_dict found: the top-level dict has non-tensor entries "
                    + nonTensorKeys(map) + " and no 'state_dict' key");
        }
        throw new IOException(where + ": no state_dict found: the checkpoint holds a "
                + PickleMachine.describe(top) + ", not a dict of tensors");
    }

    private static Map<String, TensorRef> tensorsOnly(Map<?, ?> map) {
        Map<String, TensorRef> tensors = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String name) || !(e.getValue() instanceof TensorRef t)) {
                return null;
            }
            tensors.put(name, t);
        }
        return tensors;
    }

    private static List<String> nonTensorKeys(Map<?, ?> map) {
        List<String> keys = new ArrayList<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getValue() instanceof TensorRef) && keys.size() < 10) {
                keys.add(e.getKey() + " (" + PickleMachine.describe(e.getValue()) + ")");
            }
        }
        return keys;
    }

    private static WeightSet materialise(Map<String, TensorRef> tensors, Map<String, float[]> roots, String where)
            throws IOException {
        WeightSet set = new WeightSet();
        for (Map.Entry<String, TensorRef> e : tensors.entrySet()) {
            float[] root = roots.get(e.getValue().storage().key());
            if (root == null) {
                throw new IOException(where + ": tensor '" + e.getKey() + "': the data of its storage '"
                        + e.getValue().storage().key() + "' is not in the file");
            }
            set.add(e.getValue().materialise(e.getKey(), root, where));
        }
        return set;
    }

    private static float[] decode(InputStream in, StorageRef root, String where) throws IOException {
        if (root.numel() > Integer.MAX_VALUE - 8) {
            throw new IOException(where + ": " + root.numel() + " elements do not fit one Java array");
        }
        float[] values = new float[(int) root.numel()];
        root.dtype().read(in, values, where);
        return values;
    }

    private static BigInteger toBig(Object o) {
        if (o instanceof BigInteger b) {
            return b;
        }
        return o instanceof Long l ? BigInteger.valueOf(l) : null;
    }
}
