package io.ucag.weights.torch;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pickle VM on byte strings produced by CPython's pickle.dumps (hex copied from python3). */
class PickleMachineTest {
    private static Object load(String hex) throws IOException {
        return PickleMachine.load(ByteBuffer.wrap(HexFormat.of().parseHex(hex)), new TorchPickleHost("test"), "test");
    }

    /** pickle.dumps({'a': [1, -300, 70000, -2**40, 2**70, 1.5, None, True, False, (1,2), (), 'é', b'xy'],
     *  'b': {}}, protocol=N). */
    private static final String PROTOCOL_4 = "8004954f000000000000007d94288c0161945d94284b014ad4feffff4a701101008a06"
            + "0000000000ff8a09000000000000000040473ff80000000000004e88894b014b028694298c02c3a9944302787994658c01629"
            + "47d94752e";
    private static final String PROTOCOL_2 = "80027d71002858010000006171015d7102284b014ad4feffff4a701101008a0600000"
            + "00000ff8a09000000000000000040473ff80000000000004e88894b014b02867103295802000000c3a97104635f636f646563"
            + "730a656e636f64650a710558020000007879710658060000006c6174696e31710786710852710965580100000062710a7d710"
            + "b752e";

    @Test
    void plainValuesInProtocols2And4() throws IOException {
        for (String hex : List.of(PROTOCOL_2, PROTOCOL_4)) {
            Map<?, ?> top = (Map<?, ?>) load(hex);
            assertEquals(List.of("a", "b"), List.copyOf(top.keySet()));
            List<?> a = (List<?>) top.get("a");
            assertEquals(1L, a.get(0));
            assertEquals(-300L, a.get(1));
            assertEquals(70000L, a.get(2));
            assertEquals(-(1L << 40), a.get(3));
            assertEquals(BigInteger.TWO.pow(70), a.get(4));
            assertEquals(1.5, a.get(5));
            assertNull(a.get(6));
            assertEquals(Boolean.TRUE, a.get(7));
            assertEquals(Boolean.FALSE, a.get(8));
            assertEquals(new PickleMachine.Tuple(List.of(1L, 2L)), a.get(9));
            assertEquals(0, ((PickleMachine.Tuple) a.get(10)).size());
            assertEquals("é", a.get(11));
            assertArrayEquals(new byte[] {'x', 'y'}, (byte[]) a.get(12));
            assertEquals(Map.of(), top.get("b"));
        }
    }

    @Test
    void foreignGlobalsAreRefusedByNameInBothForms() {
        // pickle.dumps(os.system): GLOBAL in protocol 2, STACK_GLOBAL in protocol 4.
        for (String hex : List.of("800263706f7369780a73797374656d0a71002e",
                "80049514000000000000008c05706f736978948c0673797374656d9493942e")) {
            IOException e = assertThrows(IOException.class, () -> load(hex));
            assertTrue(e.getMessage().contains("posix.system"), e.getMessage());
        }
    }

    @Test
    void malformedPicklesAreErrorsNamingTheSource() {
        String good = "80027d71002e"; // {}
        assertTrue(assertThrows(IOException.class, () -> load(good.substring(0, 6))).getMessage()
                .startsWith("test: pickle ends without a STOP opcode"));
        assertTrue(assertThrows(IOException.class, () -> load(good.substring(0, 8))).getMessage()
                .startsWith("test: truncated or malformed pickle at opcode 0x71 (offset 3)"));
        assertTrue(assertThrows(IOException.class, () -> load("8002ff2e")).getMessage()
                .contains("unsupported pickle opcode 0xff at offset 2"));
        assertTrue(assertThrows(IOException.class, () -> load("8002732e")).getMessage()
                .contains("stack underflow"));
        assertTrue(assertThrows(IOException.class, () -> load("80025805000000616263")).getMessage()
                .contains("runs past the end"));
        assertTrue(assertThrows(IOException.class, () -> load("8002680a2e")).getMessage()
                .contains("memo slot 10 read before it was written"));
        assertTrue(assertThrows(IOException.class, () -> load("80024b014b022e")).getMessage()
                .contains("STOP with 2 objects on the stack"));
    }

    @Test
    void persistentIdsMustBeTorchStorages() {
        // BINPERSID on the tuple ('file', 1): ( X'file' K1 t Q .
        String hex = "800228580400000066696c654b017451" + "2e";
        IOException e = assertThrows(IOException.class, () -> load(hex));
        assertTrue(e.getMessage().contains("unsupported persistent id [file, 1]"), e.getMessage());
    }
}
