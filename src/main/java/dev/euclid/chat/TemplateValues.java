package dev.euclid.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns what a caller passes (maps and lists as parsed from JSON, boxed numbers, Jackson trees)
 * into template values: ints become Long, floats Double, containers are copied so a template
 * never sees the caller's objects change under it.
 */
final class TemplateValues {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TemplateValues() {}

    static Object fromJava(Object v, String where) {
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Long || v instanceof Double) return v;
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) return ((Number) v).longValue();
        if (v instanceof BigInteger b) return PyOps.integer(b);
        if (v instanceof Float f) return f.doubleValue();
        if (v instanceof BigDecimal d) return d.doubleValue();
        if (v instanceof Character c) return c.toString();
        if (v instanceof JsonNode node) return fromJava(JSON.convertValue(node, Object.class), where);
        if (v instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                Object key = fromJava(e.getKey(), where);
                if (key instanceof List || key instanceof Map) {
                    throw new IllegalArgumentException(where + ": a dict key must be a string or number, not " + key);
                }
                out.put(key, fromJava(e.getValue(), where + "." + e.getKey()));
            }
            return out;
        }
        if (v instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>(c.size());
            int i = 0;
            for (Object item : c) out.add(fromJava(item, where + "[" + i++ + "]"));
            return out;
        }
        if (v instanceof Object[] array) return fromJava(java.util.Arrays.asList(array), where);
        throw new IllegalArgumentException(where + ": a chat template cannot use a " + v.getClass().getName()
                + " (give strings, numbers, booleans, null, maps and lists, as JSON has)");
    }
}
