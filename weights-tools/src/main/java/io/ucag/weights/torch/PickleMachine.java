package io.ucag.weights.torch;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal, safe unpickler: the pickle opcodes (protocols 2 to 5) that {@code torch.save} and plain Python
 * containers produce, and nothing that runs code. Every GLOBAL goes through {@link Host#resolveGlobal}, which
 * allows a fixed list of names; calling (REDUCE) one goes through {@link Host#call}.
 *
 * <p>Python values map to Java as: dict / OrderedDict -> {@code LinkedHashMap<Object,Object>}, list ->
 * {@code ArrayList}, tuple -> {@link Tuple}, str -> {@code String}, bytes -> {@code byte[]}, int ->
 * {@code Long} (or {@code BigInteger} beyond 64 bits), float -> {@code Double}, bool -> {@code Boolean},
 * None -> {@code null}.
 */
public final class PickleMachine {
    /** What the unpickled data may reference: allowed globals, their calls and persistent objects. */
    public interface Host {
        /** The object for GLOBAL {@code module.name}; throws for anything not explicitly allowed. */
        Object resolveGlobal(String module, String name) throws IOException;

        /** The result of REDUCE: {@code callable(*args)} for a callable returned by resolveGlobal. */
        Object call(Object callable, List<Object> args) throws IOException;

        /** The object a BINPERSID id stands for (torch: a storage). */
        Object persistentLoad(Object pid) throws IOException;
    }

    /** A Python tuple (immutable, may hold nulls). */
    public record Tuple(List<Object> items) {
        public Tuple {
            items = Collections.unmodifiableList(new ArrayList<>(items));
        }

        public int size() {
            return items.size();
        }

        public Object get(int i) {
            return items.get(i);
        }
    }

    private static final Object MARK = new Object() {
        @Override
        public String toString() {
            return "MARK";
        }
    };

    private final ByteBuffer in;
    private final Host host;
    private final String source;
    private final List<Object> stack = new ArrayList<>();
    private final Deque<Integer> marks = new ArrayDeque<>();
    private final Map<Long, Object> memo = new HashMap<>();

    private PickleMachine(ByteBuffer in, Host host, String source) {
        this.in = in.order(ByteOrder.LITTLE_ENDIAN);
        this.host = host;
        this.source = source;
    }

    /**
     * Unpickles one object from {@code in} (starting at its position, which ends just after the STOP opcode).
     *
     * @param source names the data in error messages (e.g. the file and entry)
     */
    public static Object load(ByteBuffer in, Host host, String source) throws IOException {
        return new PickleMachine(in, host, source).run();
    }

    private Object run() throws IOException {
        while (true) {
            if (!in.hasRemaining()) {
                throw error("pickle ends without a STOP opcode");
            }
            int at = in.position();
            int op = in.get() & 0xff;
            try {
                if (op == '.') {
                    if (stack.size() != 1 || !marks.isEmpty()) {
                        throw error("STOP with " + stack.size() + " objects on the stack");
                    }
                    return stack.get(0);
                }
                step(op);
            } catch (java.nio.BufferUnderflowException | IndexOutOfBoundsException e) {
                throw error("truncated or malformed pickle at opcode 0x" + Integer.toHexString(op) + " (offset "
                        + at + ")");
            }
        }
    }

    private void step(int op) throws IOException {
        switch (op) {
            case 0x80 -> { // PROTO
                int protocol = in.get() & 0xff;
                if (protocol > 5) {
                    throw error("pickle protocol " + protocol + " is newer than 5");
                }
            }
            case 0x95 -> in.getLong(); // FRAME: a length hint only
            case '(' -> marks.push(stack.size()); // MARK
            case '0' -> pop(); // POP
            case '1' -> popMark(); // POP_MARK
            case '2' -> push(peek()); // DUP
            case '}' -> push(new LinkedHashMap<Object, Object>()); // EMPTY_DICT
            case ']' -> push(new ArrayList<Object>()); // EMPTY_LIST
            case ')' -> push(new Tuple(List.of())); // EMPTY_TUPLE
            case 'N' -> push(null); // NONE
            case 0x88 -> push(Boolean.TRUE); // NEWTRUE
            case 0x89 -> push(Boolean.FALSE); // NEWFALSE
            case 'J' -> push((long) in.getInt()); // BININT
            case 'K' -> push((long) (in.get() & 0xff)); // BININT1
            case 'M' -> push((long) (in.getShort() & 0xffff)); // BININT2
            case 0x8a -> push(longFromBytes(in.get() & 0xff)); // LONG1
            case 0x8b -> push(longFromBytes(length(in.getInt() & 0xffffffffL))); // LONG4
            case 'G' -> push(Double.longBitsToDouble(Long.reverseBytes(in.getLong()))); // BINFLOAT (big-endian)
            case 'X' -> push(utf8(length(in.getInt() & 0xffffffffL))); // BINUNICODE
            case 0x8c -> push(utf8(in.get() & 0xff)); // SHORT_BINUNICODE
            case 0x8d -> push(utf8(length(in.getLong()))); // BINUNICODE8
            case 'T' -> push(utf8(length(in.getInt()))); // BINSTRING (Python 2 str; torch.load decodes utf-8)
            case 'U' -> push(utf8(in.get() & 0xff)); // SHORT_BINSTRING
            case 'B' -> push(bytes(length(in.getInt() & 0xffffffffL))); // BINBYTES
            case 'C' -> push(bytes(in.get() & 0xff)); // SHORT_BINBYTES
            case 0x8e -> push(bytes(length(in.getLong()))); // BINBYTES8
            case 't' -> push(new Tuple(popMark())); // TUPLE
            case 0x85 -> push(new Tuple(popN(1))); // TUPLE1
            case 0x86 -> push(new Tuple(popN(2))); // TUPLE2
            case 0x87 -> push(new Tuple(popN(3))); // TUPLE3
            case 'l' -> push(new ArrayList<>(popMark())); // LIST
            case 'd' -> push(dictFrom(popMark())); // DICT
            case 'a' -> { // APPEND
                Object item = pop();
                asList(peek(), "APPEND").add(item);
            }
            case 'e' -> { // APPENDS
                List<Object> items = popMark();
                asList(peek(), "APPENDS").addAll(items);
            }
            case 's' -> { // SETITEM
                Object value = pop();
                Object key = pop();
                asDict(peek(), "SETITEM").put(key, value);
            }
            case 'u' -> { // SETITEMS
                List<Object> items = popMark();
                asDict(peek(), "SETITEMS").putAll(dictFrom(items));
            }
            case 'c' -> push(host.resolveGlobal(line(), line())); // GLOBAL
            case 0x93 -> { // STACK_GLOBAL
                Object name = pop();
                Object module = pop();
                if (!(module instanceof String m) || !(name instanceof String n)) {
                    throw error("STACK_GLOBAL needs two strings");
                }
                push(host.resolveGlobal(m, n));
            }
            case 'R' -> { // REDUCE
                Object args = pop();
                Object callable = pop();
                if (!(args instanceof Tuple t)) {
                    throw error("REDUCE arguments are not a tuple");
                }
                push(host.call(callable, t.items()));
            }
            case 'b' -> build(pop(), peek()); // BUILD
            case 'Q' -> push(host.persistentLoad(pop())); // BINPERSID
            case 'q' -> memo.put((long) (in.get() & 0xff), peek()); // BINPUT
            case 'r' -> memo.put(in.getInt() & 0xffffffffL, peek()); // LONG_BINPUT
            case 0x94 -> memo.put((long) memo.size(), peek()); // MEMOIZE
            case 'h' -> push(memoGet(in.get() & 0xff)); // BINGET
            case 'j' -> push(memoGet(in.getInt() & 0xffffffffL)); // LONG_BINGET
            default -> throw error("unsupported pickle opcode 0x" + Integer.toHexString(op) + " at offset "
                    + (in.position() - 1) + " (not produced by torch.save)");
        }
    }

    /**
     * BUILD sets an object's state. The only state torch writes on what we load is the {@code _metadata}
     * attribute of a state dict's OrderedDict (module versions), which is not weight data, so it is dropped.
     */
    private void build(Object state, Object target) throws IOException {
        if (!(target instanceof Map<?, ?>)) {
            throw error("BUILD (setting object state) on " + describe(target) + " is not supported");
        }
    }

    private Object memoGet(long index) throws IOException {
        if (!memo.containsKey(index)) {
            throw error("memo slot " + index + " read before it was written");
        }
        return memo.get(index);
    }

    private Map<Object, Object> dictFrom(List<Object> items) throws IOException {
        if (items.size() % 2 != 0) {
            throw error("odd number of items for a dict");
        }
        Map<Object, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i += 2) {
            map.put(items.get(i), items.get(i + 1));
        }
        return map;
    }

    @SuppressWarnings("unchecked")
    private List<Object> asList(Object o, String opcode) throws IOException {
        if (o instanceof ArrayList<?> list) {
            return (List<Object>) list;
        }
        throw error(opcode + " on " + describe(o) + ", expected a list");
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> asDict(Object o, String opcode) throws IOException {
        if (o instanceof LinkedHashMap<?, ?> map) {
            return (Map<Object, Object>) map;
        }
        throw error(opcode + " on " + describe(o) + ", expected a dict");
    }

    private void push(Object o) {
        stack.add(o);
    }

    private Object pop() throws IOException {
        if (stack.isEmpty() || (!marks.isEmpty() && marks.peek() == stack.size())) {
            throw error("stack underflow");
        }
        return stack.remove(stack.size() - 1);
    }

    private Object peek() throws IOException {
        if (stack.isEmpty()) {
            throw error("stack underflow");
        }
        return stack.get(stack.size() - 1);
    }

    private List<Object> popN(int n) throws IOException {
        int floor = marks.isEmpty() ? 0 : marks.peek();
        if (stack.size() - n < floor) {
            throw error("stack underflow");
        }
        List<Object> sub = stack.subList(stack.size() - n, stack.size());
        List<Object> items = new ArrayList<>(sub);
        sub.clear();
        return items;
    }

    private List<Object> popMark() throws IOException {
        if (marks.isEmpty()) {
            throw error("no MARK on the stack");
        }
        int at = marks.pop();
        List<Object> sub = stack.subList(at, stack.size());
        List<Object> items = new ArrayList<>(sub);
        sub.clear();
        return items;
    }

    private int length(long n) throws IOException {
        if (n < 0 || n > in.remaining()) {
            throw error("length " + n + " runs past the end of the pickle");
        }
        return (int) n;
    }

    private String utf8(int n) throws IOException {
        return new String(bytes(length(n)), StandardCharsets.UTF_8);
    }

    private byte[] bytes(int n) throws IOException {
        byte[] b = new byte[length(n)];
        in.get(b);
        return b;
    }

    /** Little-endian two's complement (LONG1/LONG4) as Long when it fits, else BigInteger. */
    private Object longFromBytes(int n) throws IOException {
        byte[] le = bytes(n);
        if (n == 0) {
            return 0L;
        }
        byte[] be = new byte[n];
        for (int i = 0; i < n; i++) {
            be[i] = le[n - 1 - i];
        }
        BigInteger value = new BigInteger(be);
        return value.bitLength() < 64 ? (Object) value.longValue() : value;
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (!in.hasRemaining()) {
                throw error("unterminated GLOBAL name");
            }
            byte b = in.get();
            if (b == '\n') {
                return sb.toString();
            }
            sb.append((char) (b & 0xff));
        }
    }

    static String describe(Object o) {
        return o == null ? "None" : o.getClass().getSimpleName();
    }

    private IOException error(String message) {
        return new IOException(source + ": " + message);
    }
}
