package io.ucag.weights.json;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonTest {
    @Test
    void parsesEveryKindOfValue() throws Json.JsonException {
        Object v = Json.parse(" {\"a\": [1, -2, 3.5, 1e3, true, false, null], \"s\": \"x\\n\\u00e9\\\"/\\/\","
                + " \"o\": {}, \"l\": []} ");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals(List.of("a", "s", "o", "l"), new ArrayList<>(m.keySet()));
        List<?> a = (List<?>) m.get("a");
        assertEquals(1L, a.get(0));
        assertEquals(-2L, a.get(1));
        assertEquals(3.5, a.get(2));
        assertEquals(1000.0, a.get(3));
        assertEquals(Boolean.TRUE, a.get(4));
        assertEquals(Boolean.FALSE, a.get(5));
        assertNull(a.get(6));
        assertEquals("x\né\"//", m.get("s"));
        assertEquals(Map.of(), m.get("o"));
        assertEquals(List.of(), m.get("l"));
    }

    @Test
    void largeOffsetsStayExactLongs() throws Json.JsonException {
        assertEquals(9007199254740993L, Json.parse("9007199254740993"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "{\"a\":1,}", "[1,]", "{\"a\" 1}", "{a:1}", "01", "1.", "-", "\"abc",
            "\"a\tb\"", "\"\\x\"", "tru", "{} x", "{\"a\":1,\"a\":2}", "99999999999999999999", "[1 2]"})
    void rejectsMalformedText(String text) {
        Json.JsonException e = assertThrows(Json.JsonException.class, () -> Json.parse(text));
        assertTrue(e.getMessage().startsWith("JSON syntax error at offset "), e.getMessage());
    }

    @Test
    void duplicateKeyNamesTheKey() {
        Json.JsonException e = assertThrows(Json.JsonException.class, () -> Json.parse("{\"w\":1,\"w\":2}"));
        assertTrue(e.getMessage().contains("duplicate key \"w\""), e.getMessage());
    }

    @Test
    void deepNestingIsAnErrorNotAStackOverflow() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertThrows(Json.JsonException.class, () -> Json.parse(deep));
    }

    @Test
    void writeThenParseGivesTheSameValue() throws Json.JsonException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name \"q\" \\ \u0001 tab\t", Arrays.asList(1L, 2.25, "é", null, true));
        m.put("nested", Map.of("k", List.of()));
        String text = Json.write(m);
        assertEquals("{\"name \\\"q\\\" \\\\ \\u0001 tab\\t\":[1,2.25,\"é\",null,true],\"nested\":{\"k\":[]}}", text);
        assertEquals(m, Json.parse(text));
    }
}
